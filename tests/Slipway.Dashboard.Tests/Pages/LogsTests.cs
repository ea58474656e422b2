using Microsoft.Playwright;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Pages;

public sealed class LogsTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Logs_LiveTail_ShowsARequestsRouterLine()
    {
        var page = await SignedInPageAsync($"#/apps/{App}/logs");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();

        var path = "/seen-live-" + Guid.NewGuid().ToString("N")[..8];
        await Server.GetAppAsync(App, path, _ => true);

        await Assertions.Expect(page.Locator(".log").First).ToContainTextAsync($"path=\"{path}\"");
        await Assertions.Expect(page.Locator(".log-line.source-heroku", new() { HasText = path })).ToContainTextAsync("heroku[router]: at=info");
        await ScreenshotAsync(page, "06-logs");
    }

    [Fact]
    public async Task Logs_FilterAndPause_HoldLinesUntilResumed()
    {
        var page = await SignedInPageAsync($"#/apps/{App}/logs");
        await page.GetByLabel("Dyno", new() { Exact = true }).FillAsync("router");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        var path = "/while-paused-" + Guid.NewGuid().ToString("N")[..8];
        await Server.GetAppAsync(App, path, _ => true);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume (" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".log").First).Not.ToContainTextAsync(path);

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume (" }).ClickAsync();
        await Assertions.Expect(page.Locator(".log").First).ToContainTextAsync(path);
        Assert.All(await page.Locator(".log").First.Locator(".who").AllTextContentsAsync(), who => Assert.Equal("heroku[router]:", who));
    }

    [Fact]
    public async Task Logs_FilterAppliedWhileTheFirstSessionIsPending_OpensOnlyTheFilteredStream()
    {
        // Hold the page's first (unfiltered) log session until the filtered one is live: the superseded follow
        // must not open its stream late and mix unfiltered lines into the filtered view.
        var page = await SignedInPageAsync();
        var firstSession = await HoldFirstRequestAsync(page, url => url.EndsWith("/log-sessions", StringComparison.Ordinal));
        var streams = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.ResourceType == "eventsource")
            {
                lock (streams)
                {
                    streams.Add(request.Url);
                }
            }
        };

        await page.EvaluateAsync("fragment => { location.hash = fragment; }", $"#/apps/{App}/logs");
        await page.GetByLabel("Dyno", new() { Exact = true }).FillAsync("router");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();

        var released = page.WaitForResponseAsync(response => response.Url.EndsWith("/log-sessions", StringComparison.Ordinal) && response.Request.Method == "POST");
        firstSession.SetResult();
        await released;
        var path = "/after-release-" + Guid.NewGuid().ToString("N")[..8];
        await Server.GetAppAsync(App, path, _ => true);
        await Assertions.Expect(page.Locator(".log").First).ToContainTextAsync(path);

        Assert.All(await page.Locator(".log").First.Locator(".who").AllTextContentsAsync(), who => Assert.Equal("heroku[router]:", who));
        lock (streams)
        {
            Assert.Single(streams);
        }
    }

    [Fact]
    public async Task Logs_SearchHistory_FindsAnOlderLine()
    {
        var path = "/in-history-" + Guid.NewGuid().ToString("N")[..8];
        await Server.GetAppAsync(App, path, _ => true);
        var page = await SignedInPageAsync($"#/apps/{App}/logs");

        await page.GetByLabel("Search the history", new() { Exact = true }).FillAsync(path);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "1 matching line" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Search results", new() { Exact = true })).ToContainTextAsync(path);
    }
}
