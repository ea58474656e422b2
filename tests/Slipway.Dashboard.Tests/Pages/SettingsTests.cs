using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class SettingsTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Settings_SetConfigVar_CreatesANewReleaseTheAppSees()
    {
        var page = await SignedInPageAsync($"#/apps/{App}/settings");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Config vars" })).ToBeVisibleAsync();

        await page.GetByLabel("Key", new() { Exact = true }).FillAsync("GREETING");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync("from-the-dashboard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();

        var done = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Set GREETING: release v" });
        await Assertions.Expect(done).ToBeVisibleAsync();
        var version = System.Text.RegularExpressions.Regex.Match(await done.TextContentAsync() ?? "", @"release v(\d+)").Groups[1].Value;
        var row = page.Locator("tr[data-key='GREETING']");
        await Assertions.Expect(row).ToContainTextAsync("••••••••");
        await Assertions.Expect(row).Not.ToContainTextAsync("from-the-dashboard");
        await row.GetByRole(AriaRole.Button, new() { Name = "Reveal GREETING" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("from-the-dashboard");
        await ScreenshotAsync(page, "05-settings");

        var (_, body) = await Server.GetAppAsync(App, "/", b => b.Contains("GREETING=from-the-dashboard", StringComparison.Ordinal));
        Assert.Contains("GREETING=from-the-dashboard", body, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Activity" }).ClickAsync();
        await Assertions.Expect(page.Locator($"li[data-release='{version}']")).ToContainTextAsync("Set GREETING config vars");
    }

    [Fact]
    public async Task Settings_DeleteApp_NeedsTheTypedName()
    {
        var app = "doomed-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(0, (await Server.CliAsync("apps:create", app)).ExitCode);
        var page = await SignedInPageAsync($"#/apps/{app}/settings");
        var delete = page.GetByRole(AriaRole.Button, new() { Name = "Delete app" });

        await Assertions.Expect(delete).ToBeDisabledAsync();
        await page.GetByLabel($"Type {app} to confirm", new() { Exact = true }).FillAsync("doomed");
        await Assertions.Expect(delete).ToBeDisabledAsync();
        await page.GetByLabel($"Type {app} to confirm", new() { Exact = true }).FillAsync(app);
        await delete.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"tr[data-app='{app}']")).ToHaveCountAsync(0);
        Assert.NotEqual(0, (await Server.CliAsync("apps:info", "-a", app)).ExitCode);
    }

    [Fact]
    public async Task Settings_AddStorage_ShowsItsBucketAndConfigVars()
    {
        var app = "stored-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(0, (await Server.CliAsync("apps:create", app)).ExitCode);
        var page = await SignedInPageAsync($"#/apps/{app}/settings");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add storage" }).ClickAsync();

        var addons = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Add-ons" }) });
        await Assertions.Expect(addons).ToContainTextAsync("Slipway Storage");
        await Assertions.Expect(addons).ToContainTextAsync("bucket");
        await Assertions.Expect(page.Locator("tr[data-key='S3_BUCKET']")).ToBeVisibleAsync();
        Assert.Equal(0, (await Server.CliAsync("apps:destroy", "-a", app, "--confirm", app)).ExitCode);
    }

    [Fact]
    public async Task Settings_ConfigValues_AreShownAsTextNeverAsMarkup()
    {
        const string Payload = "<img src=x onerror=\"document.title='owned'\">";
        await SetConfigAsync(App, "HTML_PAYLOAD", Payload);
        var page = await SignedInPageAsync($"#/apps/{App}/settings");
        var row = page.Locator("tr[data-key='HTML_PAYLOAD']");

        await row.GetByRole(AriaRole.Button, new() { Name = "Reveal HTML_PAYLOAD" }).ClickAsync();

        await Assertions.Expect(row).ToContainTextAsync(Payload);
        await Assertions.Expect(row.Locator("img")).ToHaveCountAsync(0);
        Assert.NotEqual("owned", await page.TitleAsync());
    }
}
