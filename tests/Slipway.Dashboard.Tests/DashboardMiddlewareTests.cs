using System.Net;
using System.Text.RegularExpressions;
using Slipway.Dashboard.Tests.Infrastructure;

namespace Slipway.Dashboard.Tests;

/// <summary>What slipwayd serves for the dashboard on the API port, checked with a plain HTTP client.</summary>
public sealed partial class DashboardMiddlewareTests(DashboardFixture fixture) : DashboardTest(fixture)
{
    [Fact]
    public async Task Page_IsRevalidated_AndCarriesAStrictContentSecurityPolicy()
    {
        using var http = Client();
        using var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Assets_AreVersionedAndImmutable_OldVersionsAskForAReload()
    {
        using var http = Client();
        var page = await http.GetStringAsync("/");
        var script = AssetRegex().Match(page).Value;
        Assert.StartsWith("/dashboard/", script, StringComparison.Ordinal);

        using var asset = await http.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var stale = await http.GetAsync("/dashboard/0000000000000000/js/main.js");
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        Assert.Contains("Reload the page", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlatformApi_StillAnswersEveryOtherPath_WithItsOwnAuthentication()
    {
        using var http = Client();
        using var apps = await http.GetAsync("/apps");
        Assert.Equal(HttpStatusCode.Unauthorized, apps.StatusCode);
        Assert.Contains("\"unauthorized\"", await apps.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    private HttpClient Client()
    {
        if (Fixture.ServerSkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        return new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
    }

    [GeneratedRegex(@"/dashboard/[0-9a-f]{16}/js/main\.js")]
    private static partial Regex AssetRegex();
}
