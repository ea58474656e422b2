using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class ActivityTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Activity_ShowsTheBuildLog_AndRollsBackInOneClick()
    {
        await SetConfigAsync(App, "ROLLBACK_MARK", "one");
        await SetConfigAsync(App, "ROLLBACK_MARK", "two");
        var page = await SignedInPageAsync($"#/apps/{App}/activity");

        var releases = page.Locator("li[data-release]");
        var target = await page.Locator("li[data-release]", new() { HasText = "Set ROLLBACK_MARK config vars" }).Nth(1).GetAttributeAsync("data-release");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show build log" }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".build-output").First).ToContainTextAsync("-----> ");
        await ScreenshotAsync(page, "04-activity");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Roll back to v{target}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Rolled back to v{target}" })).ToBeVisibleAsync();
        await Assertions.Expect(releases.First).ToContainTextAsync($"Rollback to v{target}");
        await Assertions.Expect(releases.First.Locator(".state-current")).ToBeVisibleAsync();
        using var http = Api();
        Assert.Contains("\"ROLLBACK_MARK\":\"one\"", await http.GetStringAsync($"/apps/{App}/config-vars"), StringComparison.Ordinal);
    }
}
