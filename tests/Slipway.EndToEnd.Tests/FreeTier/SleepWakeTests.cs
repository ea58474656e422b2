using System.Net;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.FreeTier;

/// <summary>Free dynos sleep after the idle time and the next requests wake them, losing nothing.</summary>
public sealed class SleepWakeTests(ShortIdleServer server) : EndToEndTest(server), IClassFixture<ShortIdleServer>
{
    [Fact]
    public async Task IdleFreeApp_Sleeps_ThenConcurrentPostsWakeItOnce_WithBodiesIntact()
    {
        RequireSandbox();
        var app = await CreateAppAsync("sleepy");
        Assert.Equal(0, (await Server.CliAsync("deploy", EchoApp.Create(), "-a", app)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("ps:scale", "web=1:free", "-a", app)).ExitCode);
        await Server.GetAppAsync(app);

        var ps = "";
        for (var attempt = 0; attempt < 150 && !ps.Contains("web.1: idle"); attempt++)
        {
            await Task.Delay(100);
            ps = (await Server.CliAsync("ps", "-a", app)).Output;
        }

        Assert.Contains("web.1: idle", ps);
        Assert.Contains("Free dyno hours quota remaining this month", ps);
        using var api = Api();
        Assert.Equal("sleeping", JsonDocument.Parse(await api.GetStringAsync($"/apps/{app}")).RootElement.GetProperty("slipway").GetProperty("state").GetString());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        var requests = Enumerable.Range(0, 12).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{Server.RouterPort}/") { Content = new StringContent($"body-{i}") };
            request.Headers.Host = $"{app}.localhost";
            using var response = await http.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), i);
        }).ToList();
        var results = await Task.WhenAll(requests);
        if (results.Where(r => r.StatusCode != HttpStatusCode.OK || r.Body != $"POST body-{r.i}").Select(r => $"request {r.i}: {(int)r.StatusCode}").ToList() is { Count: > 0 } failed)
        {
            Assert.Fail($"{string.Join(", ", failed)}\n{(await Server.CliAsync("logs", "-n", "200", "-a", app)).Output}\nslipwayd:\n{Server.Output[^Math.Min(Server.Output.Length, 6000)..]}");
        }

        var dynos = JsonDocument.Parse((await Server.CliAsync("ps", "--json", "-a", app)).Output).RootElement.EnumerateArray().ToList();
        Assert.Equal("web.1", Assert.Single(dynos).GetProperty("name").GetString());
        Assert.Equal("up", dynos[0].GetProperty("state").GetString());

        // The dashboard's charts: the sleep, then one wake with its cost (it may sleep again: idle is 2 s here), and web.1's memory.
        var kinds = new List<string?>();
        JsonElement metrics = default;
        for (var attempt = 0; attempt < 300 && kinds.Count < 2; attempt++)
        {
            await Task.Delay(100);
            metrics = JsonDocument.Parse(await api.GetStringAsync($"/apps/{app}/dyno-metrics")).RootElement;
            kinds = metrics.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        }

        Assert.Equal(["sleep", "wake"], kinds.Take(2));
        Assert.True(metrics.GetProperty("events")[1].GetProperty("ready_ms").GetInt32() >= 0);
        var web = metrics.GetProperty("dynos").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "web.1");
        Assert.True(web.GetProperty("minutes").EnumerateArray().All(m => m.GetProperty("max_bytes").GetInt64() > 0));
    }

    private HttpClient Api()
    {
        var api = new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
        api.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.heroku+json; version=3");
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.Token);
        return api;
    }

    [Fact]
    public async Task PaidAndWorkerOnlyApps_NeverSleep()
    {
        RequireSandbox();
        var app = await CreateAppAsync("awake");
        Assert.Equal(0, (await Server.CliAsync("deploy", EchoApp.Create(), "-a", app)).ExitCode);
        await Server.GetAppAsync(app);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var ps = (await Server.CliAsync("ps", "-a", app)).Output;
        Assert.Contains("web.1: up", ps);
        Assert.DoesNotContain("quota", ps);
    }
}
