using System.Net;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>Each H-code a dyno or a client can provoke, on real dynos: status, page and the router's log line.</summary>
[Collection(ShortTimeoutServer.Collection)]
public sealed class RouterErrorTests(ShortTimeoutServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task DynoClosingWithoutAnswer_GetsH13()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        using var response = await client.Http.GetAsync(client.AppUrl(app, "/close"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("H13", await response.Content.ReadAsStringAsync());
        await RouterTestSupport.LogContainingAsync(Server, app, "at=error code=H13 desc=\"Connection closed without response\"");
    }

    [Fact]
    public async Task DynoHangingUpMidResponse_CutsTheClient_AndLogsH18()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        using var response = await client.Http.GetAsync(client.AppUrl(app, "/half"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
        await RouterTestSupport.LogContainingAsync(Server, app, "sock=backend at=error code=H18");
    }

    [Fact]
    public async Task ClientGivingUpBeforeTheAnswer_LogsH27()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server, TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<Exception>(() => client.Http.GetAsync(client.AppUrl(app, "/sleep?ms=1500")));
        await RouterTestSupport.LogContainingAsync(Server, app, "sock=client at=warning code=H27 desc=\"Client Request Interrupted\"");
    }

    [Fact]
    public async Task OversizedResponseHeaders_Get502H25()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        using var response = await client.Http.GetAsync(client.AppUrl(app, "/big-header"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("H25", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OversizedRequestHeaders_Get502H25_WithoutReachingTheDyno()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        using var request = new HttpRequestMessage(HttpMethod.Get, client.AppUrl(app, "/headers"));
        request.Headers.TryAddWithoutValidation("X-Big", new string('x', 600 * 1024));
        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("H25", await response.Content.ReadAsStringAsync());
        await RouterTestSupport.LogContainingAsync(Server, app, "code=H25 desc=\"HTTP restriction\"");
    }

    [Fact]
    public async Task CrashingApp_GetsH10()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "crashy", ProbeApp.Create("web: node -e 'process.exit(1)'"));
        using var client = new RouterClient(Server);

        var body = "";
        for (var attempt = 0; attempt < 60 && !body.Contains("H10"); attempt++)
        {
            using var response = await client.Http.GetAsync(client.AppUrl(app));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            body = await response.Content.ReadAsStringAsync();
            await Task.Delay(200);
        }

        Assert.Contains("H10", body);
        await RouterTestSupport.LogContainingAsync(Server, app, "at=error code=H10 desc=\"App crashed\"");
    }

    [Fact]
    public async Task AppScaledToZero_GetsH14()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "zero", ProbeApp.Create());
        using var client = new RouterClient(Server);
        await RouterTestSupport.ScaleToZeroAsync(Server, client, app);

        using var response = await client.Http.GetAsync(client.AppUrl(app));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("H14", await response.Content.ReadAsStringAsync());
        await RouterTestSupport.LogContainingAsync(Server, app, "at=error code=H14 desc=\"No web processes running\"");
    }

    [Fact]
    public async Task AppWithNoCodeYet_GetsH81()
    {
        RequireSandbox();
        var app = await CreateAppAsync("blank");
        using var client = new RouterClient(Server);

        using var response = await client.Http.GetAsync(client.AppUrl(app));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("No code has been deployed to this app yet", await response.Content.ReadAsStringAsync());
        await RouterTestSupport.LogContainingAsync(Server, app, "at=info code=H81 desc=\"Blank app\"");
    }

    [Fact]
    public async Task ExpectationOtherThanContinue_GetsH26_AndNeverReachesTheDyno()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        using var request = new HttpRequestMessage(HttpMethod.Get, client.AppUrl(app));
        request.Headers.TryAddWithoutValidation("Expect", "teapot-mode");
        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ExpectationFailed, response.StatusCode);
        Assert.Contains("H26", await response.Content.ReadAsStringAsync());
        await RouterTestSupport.LogContainingAsync(Server, app, "at=error code=H26 desc=\"Request Error\"");
    }

    [Fact]
    public async Task DynoRefusingConnections_RequestsGoToAnother_ThenH21WhenNoneListens()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "refuse", ProbeApp.Create());
        Assert.Equal(0, (await Server.CliAsync("ps:scale", "web=2", "-a", app)).ExitCode);
        using var client = new RouterClient(Server);
        await WaitForBothDynosAsync(client, app);

        // One dyno stops listening but stays up: each request that picks it is retried on the other, unseen by the client.
        var closed = (await client.Http.GetStringAsync(client.AppUrl(app, "/unlisten"))).Trim();
        using var fresh = new RouterClient(Server);
        var served = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await fresh.Http.GetAsync(fresh.AppUrl(app));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"request {i}: {(int)response.StatusCode} {body}");
            served.Add(body.Trim());
        }

        Assert.DoesNotContain(closed.Replace("closed", "ok", StringComparison.Ordinal), served);

        // The second one too: nobody is left to take the request.
        await fresh.Http.GetStringAsync(fresh.AppUrl(app, "/unlisten"));
        using var last = new RouterClient(Server);
        using var refused = await last.Http.GetAsync(last.AppUrl(app));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("H21", await refused.Content.ReadAsStringAsync());
    }

    private static async Task WaitForBothDynosAsync(RouterClient client, string app)
    {
        var seen = new HashSet<string>();
        for (var attempt = 0; attempt < 300 && seen.Count < 2; attempt++)
        {
            using var response = await client.Http.GetAsync(client.AppUrl(app));
            if (response.IsSuccessStatusCode)
            {
                seen.Add((await response.Content.ReadAsStringAsync()).Trim());
            }
        }

        Assert.Equal(2, seen.Count);
    }
}
