using System.Text.Json;
using System.Text.RegularExpressions;
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
        Assert.Equal(3, await page.GetByRole(AriaRole.Img, new() { Name = "Service time percentiles in milliseconds" }).Locator("polyline").CountAsync());
        await ScreenshotAsync(page, "08-metrics");
    }

    [Fact]
    public async Task Metrics_OnThisSlipwayd_DrawsTheRunningDynosMemory_AgainstItsQuota()
    {
        await Server.GetAppAsync(App);
        var page = await SignedInPageAsync($"#/apps/{App}/metrics");

        var chart = page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex(@"^Memory of web\.1 per minute in MiB, against its \d+ MiB quota$") });
        await Assertions.Expect(chart).ToBeVisibleAsync();
        await Assertions.Expect(chart.Locator("line.r14")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".status.error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Metrics_WithDynoMetrics_ShowsOverQuotaAndSleepsAndWakes()
    {
        var page = await SignedInPageAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-40);
        string At(int minutes) => start.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:00'Z'", System.Globalization.CultureInfo.InvariantCulture);
        const long Mib = 1024 * 1024;
        // Asleep from minute 10 to 14: no samples, drawn as a gap.
        var minutes = Enumerable.Range(0, 40).Where(i => i is < 10 or >= 15).Select(i => new { at = At(i), max_bytes = (300 + (i * 7)) * Mib, quota_bytes = 512 * Mib }).ToList();
        var body = new
        {
            app = new { id = "x", name = App },
            dynos = new[] { new { name = "web.1", quota_bytes = 512 * Mib, minutes } },
            events = new object[]
            {
                new { at = At(5), kind = "sleep", ready_ms = (int?)null },
                new { at = At(20), kind = "wake", ready_ms = (int?)412 },
                new { at = At(35), kind = "sleep", ready_ms = (int?)null },
            },
        };
        await page.RouteAsync("**/dyno-metrics", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(body),
        }));
        await page.EvaluateAsync("app => { location.hash = '#/apps/' + app + '/metrics'; }", App);

        await Assertions.Expect(page.GetByText("Highest 573 MiB of its 512 MiB quota: over quota")).ToBeVisibleAsync();
        var memory = page.GetByRole(AriaRole.Img, new() { Name = "Memory of web.1 per minute in MiB, against its 512 MiB quota" });
        await Assertions.Expect(memory.Locator("polyline.memory")).ToHaveCountAsync(2);
        await Assertions.Expect(memory.Locator("line.r14")).ToHaveCountAsync(1);
        var timeline = page.GetByRole(AriaRole.Img, new() { Name = "Sleeps and wakes over the last six hours" });
        await Assertions.Expect(timeline).ToBeVisibleAsync();
        await Assertions.Expect(timeline.Locator("rect.sleep")).ToHaveCountAsync(2);
        await Assertions.Expect(timeline.Locator("rect.wake")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "412 ms" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "09-metrics-dynos");
    }
}
