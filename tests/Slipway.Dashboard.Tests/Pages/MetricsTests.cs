using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class MetricsTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Metrics_ShowsChartsOrSaysThereIsNoDataYet()
    {
        await Server.GetAppAsync(App);
        var page = await SignedInPageAsync($"#/apps/{App}/metrics");

        // Router metrics may not exist on this slipwayd yet: then the page says so instead of failing.
        await Assertions.Expect(page.Locator(".empty, svg.chart").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "⚠" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".status.error")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "08-metrics");
    }
}
