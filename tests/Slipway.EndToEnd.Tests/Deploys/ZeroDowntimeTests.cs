using System.Net;
using Slipway.EndToEnd.Tests.Infrastructure;

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
}
