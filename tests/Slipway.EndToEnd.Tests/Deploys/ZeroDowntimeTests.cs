using System.Net;
using Slipway.EndToEnd.Tests.Infrastructure;
using Slipway.EndToEnd.Tests.Router;

namespace Slipway.EndToEnd.Tests.Deploys;

[Collection(ServerCollection.Name)]
public sealed class ZeroDowntimeTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task ConfigChangeAndRedeploy_UnderConstantTraffic_FailNoRequest()
    {
        RequireSandbox();
        var app = await CreateAppAsync("steady");
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", app)).ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app)).Status);

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var served = 0;
        var traffic = Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Server.RouterPort}/");
                request.Headers.Host = $"{app}.localhost";
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    served++;
                }
                else
                {
                    failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        });

        Assert.Equal(0, (await Server.CliAsync("config:set", "GREETING=steady", "-a", app)).ExitCode);
        await Server.GetAppAsync(app, "/", b => b.Contains("GREETING=steady"));
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", app)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("ps:restart", "-a", app)).ExitCode);
        await Task.Delay(1000);
        await stop.CancelAsync();
        await traffic;

        Assert.True(served > 10, $"only {served} requests were served");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task ScaleDeployRestartAndScaleDown_WithSlowRequestsInFlight_FailNoRequest()
    {
        RequireSandbox();
        // The probe exits at once on SIGTERM: only a drain before the signal lets its slow requests finish.
        var app = await RouterTestSupport.DeployAsync(Server, "drain", ProbeApp.Create());
        using var client = new RouterClient(Server);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync(client.AppUrl(app))).StatusCode);

        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var served = new int[2];
        async Task LoopAsync(string path, int slot)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.Http.GetAsync(client.AppUrl(app, path));
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref served[slot]);
                    }
                    else
                    {
                        failures.Enqueue($"{path} {(int)response.StatusCode}: {body}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue($"{path}: {e.Message}");
                }
            }
        }

        // Four slow loops keep requests of 1.5 s in flight on every dyno at every moment; the stop grace (3 s) bounds the drain.
        var traffic = new[] { LoopAsync("/", 0) }.Concat(Enumerable.Range(0, 4).Select(_ => LoopAsync("/sleep?ms=1500", 1))).ToList();
        foreach (var step in new[] { new[] { "ps:scale", "web=2" }, ["deploy", ProbeApp.Create()], ["ps:restart"], ["ps:scale", "web=1"] })
        {
            var result = await Server.CliAsync([.. step, "-a", app]);
            Assert.True(result.ExitCode == 0, result.ToString());
            await Task.Delay(TimeSpan.FromSeconds(4)); // the replaced dynos drain and stop under load
        }

        await stop.CancelAsync();
        await Task.WhenAll(traffic);

        Assert.Empty(failures);
        Assert.True(served[0] > 10 && served[1] > 10, $"served {served[0]} fast and {served[1]} slow requests");
    }
}
