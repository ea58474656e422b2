using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>The router's per-minute figures, as the dashboard reads them from <c>GET /apps/{app}/router-metrics</c>.</summary>
[Collection(ShortTimeoutServer.Collection)]
public sealed class RouterMetricsTests(ShortTimeoutServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task RouterMetrics_CountTheAppsRequestsByStatusClass()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "metered", ProbeApp.Create());
        using var client = new RouterClient(Server);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync(client.AppUrl(app))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.Http.GetAsync(client.AppUrl(app, "/close"))).StatusCode);

        using var api = new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
        api.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.heroku+json; version=3");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.Token);
        var root = JsonDocument.Parse(await api.GetStringAsync($"/apps/{app}/router-metrics")).RootElement;
        Assert.Equal(app, root.GetProperty("app").GetProperty("name").GetString());
        var minutes = root.GetProperty("minutes").EnumerateArray().ToList();
        Assert.InRange(minutes.Count, 1, 2); // the requests may straddle a minute
        Assert.All(minutes, m => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$", m.GetProperty("at").GetString()));
        Assert.Equal(4, minutes.Sum(m => m.GetProperty("requests").GetInt32()));
        Assert.Equal(3, minutes.Sum(m => m.GetProperty("status_2xx").GetInt32()));
        Assert.Equal(1, minutes.Sum(m => m.GetProperty("status_5xx").GetInt32()));
        Assert.All(minutes, m => Assert.True(m.GetProperty("p99_ms").GetInt32() >= m.GetProperty("p50_ms").GetInt32()));

        using var unknown = await api.GetAsync("/apps/no-such-app-here/router-metrics");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
