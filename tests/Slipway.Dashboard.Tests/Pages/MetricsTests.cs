using System.Text.Json;
using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class MetricsTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Metrics_WithoutRouterMetrics_SaysThereIsNoDataYet()
    {
        var page = await SignedInPageAsync();
        // Whatever this slipwayd answers, an empty minute list is "no data yet", never an error.
        await page.RouteAsync("**/router-metrics", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new { app = new { id = "x", name = App }, minutes = Array.Empty<object>() }),
        }));
        await page.EvaluateAsync("app => { location.hash = '#/apps/' + app + '/metrics'; }", App);

        await Assertions.Expect(page.GetByText("No data yet")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".status.error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Metrics_OnThisSlipwayd_ShowsChartsOrNoDataYet_NeverAnError()
    {
        await Server.GetAppAsync(App);
        var page = await SignedInPageAsync($"#/apps/{App}/metrics");

        await Assertions.Expect(page.Locator(".empty, svg.chart").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".status.error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Metrics_WithMinutes_DrawsRequestAndServiceTimeCharts()
    {
        var page = await SignedInPageAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        var minutes = Enumerable.Range(0, 30).Select(i => new Dictionary<string, object>
        {
            ["at"] = start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:00'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["requests"] = 40 + i,
            ["status_2xx"] = 35 + i,
            ["status_3xx"] = 2,
            ["status_4xx"] = 2,
            ["status_5xx"] = i % 7 == 0 ? 1 : 0,
            ["p50_ms"] = 12 + (i % 5),
            ["p95_ms"] = 60 + (i % 9 * 4),
            ["p99_ms"] = 120 + (i % 4 * 20),
        }).ToList();
        await page.RouteAsync("**/router-metrics", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new { app = new { id = "x", name = App }, minutes }),
        }));
        await page.EvaluateAsync("app => { location.hash = '#/apps/' + app + '/metrics'; }", App);

        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Requests per minute by status class" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Service time percentiles in milliseconds" })).ToBeVisibleAsync();
        Assert.True(await page.Locator("svg.chart rect.s2xx").CountAsync() == 30);
        Assert.Equal(3, await page.Locator("svg.chart polyline").CountAsync());
        await ScreenshotAsync(page, "08-metrics");
    }
}
