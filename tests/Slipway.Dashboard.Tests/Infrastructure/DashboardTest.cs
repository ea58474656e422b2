using Deque.AxeCore.Playwright;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests.Infrastructure;

/// <summary>A fresh browser context per test (its own sessionStorage), signed in through the sign-in page.</summary>
[Collection(DashboardCollection.Name)]
public abstract class DashboardTest(DashboardFixture fixture) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    protected DashboardFixture Fixture { get; } = fixture;

    protected SlipwayServer Server => Fixture.Server;

    protected string App => Fixture.App;

    /// <summary>Screenshots for a reviewer, under artifacts/ (ignored by git).</summary>
    protected static string ScreenshotDirectory { get; } = Path.Combine(SlipwayServer.RepoRoot, "artifacts", "screenshots", "dashboard");

    protected async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        if (Fixture.BrowserSkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var context = await Fixture.Browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Server.ApiUrl + "/");
        return page;
    }

    /// <summary>A signed-in page on <paramref name="fragment"/> (e.g. <c>#/apps/NAME</c>).</summary>
    protected async Task<IPage> SignedInPageAsync(string fragment = "#/apps", int width = 1280, int height = 900)
    {
        var page = await NewPageAsync(width, height);
        await page.GetByLabel("API token", new() { Exact = true }).FillAsync(Server.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with token" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Exact = true })).ToBeVisibleAsync();
        if (fragment != "#/apps")
        {
            await page.EvaluateAsync("fragment => { location.hash = fragment; }", fragment);
        }

        return page;
    }

    /// <summary>Holds the page's first request whose URL matches until the returned source is set; later ones pass.</summary>
    protected static async Task<TaskCompletionSource> HoldFirstRequestAsync(IPage page, Func<string, bool> url)
    {
        var release = new TaskCompletionSource();
        var seen = 0;
        await page.RouteAsync(url, async route =>
        {
            if (Interlocked.Increment(ref seen) == 1)
            {
                await release.Task;
            }

            await route.ContinueAsync();
        });
        return release;
    }

    /// <summary>axe-core's serious and critical WCAG violations on the page as it is now.</summary>
    protected static async Task<List<string>> ViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        Assert.NotEmpty(result.Passes); // axe ran inside the page despite its CSP
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(", ", v.Nodes.Select(n => string.Join(' ', n.Target)))}")
            .ToList();
    }

    protected static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Calls the Platform API as the admin, for setup that is not under test.</summary>
    protected HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.Token);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.heroku+json; version=3");
        return http;
    }

    protected async Task SetConfigAsync(string app, string key, string value)
    {
        using var http = Api();
        using var response = await http.PatchAsJsonAsync($"/apps/{app}/config-vars", new Dictionary<string, string> { [key] = value });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
