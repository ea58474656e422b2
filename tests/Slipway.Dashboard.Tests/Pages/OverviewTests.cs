using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class OverviewTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Overview_ScaleWebToTwo_ShowsTwoDynosUp()
    {
        var page = await SignedInPageAsync($"#/apps/{App}");
        await Assertions.Expect(page.Locator("tr[data-dyno='web.1'] .badge")).ToHaveTextAsync("up");

        await page.GetByLabel("web dynos", new() { Exact = true }).FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Scaled to web=2" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-dyno='web.2'] .badge")).ToHaveTextAsync("up");
        await Assertions.Expect(page.Locator("tr[data-dyno='web.1'] .badge")).ToHaveTextAsync("up");
        await Assertions.Expect(page.Locator("tr[data-dyno]")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "03-overview");
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "03-overview-phone");

        await page.GetByLabel("web dynos", new() { Exact = true }).FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-dyno]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Overview_LeftBeforeItLoaded_LeavesTheNextViewAlone()
    {
        // Hold the overview's first request, move on to the logs, then let it answer: the stale overview must not append
        // its sections (or an error) to the logs page.
        var page = await SignedInPageAsync();
        var overviewApp = await HoldFirstRequestAsync(page, url => url.EndsWith($"/apps/{App}", StringComparison.Ordinal));

        await page.EvaluateAsync("fragment => { location.hash = fragment; }", $"#/apps/{App}");
        await page.EvaluateAsync("fragment => { location.hash = fragment; }", $"#/apps/{App}/logs");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();

        var released = page.WaitForResponseAsync(response => response.Url.EndsWith($"/apps/{App}", StringComparison.Ordinal));
        overviewApp.SetResult();
        await released;
        await page.WaitForTimeoutAsync(1000); // what the stale view would do, it does right after its response

        await Assertions.Expect(page.Locator("#formation-heading")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("main h1")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Logs" })).ToHaveAttributeAsync("aria-current", "page");
    }

    [Fact]
    public async Task Overview_MaintenanceToggle_TurnsMaintenanceOnAndOff()
    {
        var page = await SignedInPageAsync($"#/apps/{App}");
        var toggle = page.GetByRole(AriaRole.Switch, new() { Name = "Maintenance mode" });

        await toggle.CheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Maintenance mode is on" })).ToBeVisibleAsync();
        var (status, _) = await Server.GetAppAsync(App, "/", _ => true);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, status);

        await toggle.UncheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Maintenance mode is off" })).ToBeVisibleAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Server.GetAppAsync(App)).Status);
    }
}
