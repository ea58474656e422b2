using System.Net;
using Slipway.EndToEnd.Tests.FreeTier;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>A free app is never put to sleep under a request in flight, however long it runs past the idle time.</summary>
public sealed class SleepUnderLoadTests(ShortIdleServer server) : EndToEndTest(server), IClassFixture<ShortIdleServer>
{
    [Fact]
    public async Task RequestLongerThanIdleTimeAndStopGrace_CompletesOnAnAwakeDyno()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "busy", ProbeApp.Create());
        Assert.Equal(0, (await Server.CliAsync("ps:scale", "web=1:free", "-a", app)).ExitCode);
        using var client = new RouterClient(Server);
        await Server.GetAppAsync(app);

        // Idle time 2 s, stop grace 3 s: a sleep during this request would stop its dyno under it.
        using var response = await client.Http.GetAsync(client.AppUrl(app, "/sleep?ms=7000"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("slept web.1", (await response.Content.ReadAsStringAsync()).Trim());
    }
}
