using System.Net;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary><c>ERROR_PAGE_URL</c> and <c>MAINTENANCE_PAGE_URL</c> replace the router's pages, as on Heroku; the built-in one is the fallback.</summary>
[Collection(ShortTimeoutServer.Collection)]
public sealed class ErrorPageTests(ShortTimeoutServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task OwnersPages_ReplaceTheBuiltInOnes_WithTheErrorStatus()
    {
        RequireSandbox();
        var pages = await server.SharedProbeAsync();
        var app = await RouterTestSupport.DeployAsync(Server, "paged", ProbeApp.Create());
        var pageUrl = $"http://{pages}.localhost:{Server.RouterPort}/page?kind=";
        Assert.Equal(0, (await Server.CliAsync("config:set", $"ERROR_PAGE_URL={pageUrl}error", $"MAINTENANCE_PAGE_URL={pageUrl}maintenance", "-a", app)).ExitCode);
        using var client = new RouterClient(Server);

        await RouterTestSupport.ScaleToZeroAsync(Server, client, app);
        using (var noDynos = await client.Http.GetAsync(client.AppUrl(app)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, noDynos.StatusCode);
            Assert.Equal("<h1>Our own error page</h1>", await noDynos.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, (await Server.CliAsync("maintenance:on", "-a", app)).ExitCode);
        using var maintenance = await client.Http.GetAsync(client.AppUrl(app));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, maintenance.StatusCode);
        Assert.Equal("<h1>Our own maintenance page</h1>", await maintenance.Content.ReadAsStringAsync());
        Assert.NotNull(maintenance.Headers.RetryAfter);
    }

    [Fact]
    public async Task UnreachableOrForbiddenPage_FallsBackToTheBuiltInOne()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "fallback", ProbeApp.Create());
        // slipwayd's own API is on loopback but not the router's port: never fetched for an owner.
        Assert.Equal(0, (await Server.CliAsync("config:set", $"ERROR_PAGE_URL=http://127.0.0.1:{Server.ApiPort}/healthz", "-a", app)).ExitCode);
        using var client = new RouterClient(Server);
        await RouterTestSupport.ScaleToZeroAsync(Server, client, app);

        using var response = await client.Http.GetAsync(client.AppUrl(app));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("H14", await response.Content.ReadAsStringAsync());
    }
}
