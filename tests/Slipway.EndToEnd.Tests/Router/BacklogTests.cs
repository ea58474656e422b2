using System.Net;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>At most 50 requests in flight per dyno, 50 more per dyno waiting; beyond that H11 at once.</summary>
[Collection(ServerCollection.Name)]
public sealed class BacklogTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task MoreSlowRequestsThanDynoAndBacklogHold_GetH11_TheRestAreServed()
    {
        RequireSandbox();
        var app = await RouterTestSupport.DeployAsync(Server, "backlog", ProbeApp.Create());
        using var client = new RouterClient(Server);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync(client.AppUrl(app))).StatusCode);

        // 130 at once against one dyno: 50 in flight, 50 in the backlog, the rest refused. The sleep outlasts sending them all.
        var responses = await Task.WhenAll(Enumerable.Range(0, 130).Select(async _ =>
        {
            using var response = await client.Http.GetAsync(client.AppUrl(app, "/sleep?ms=8000"));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), RetryAfter: response.Headers.RetryAfter);
        }));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.All(refused, r => Assert.Contains("H11", r.Body));
        Assert.All(refused, r => Assert.NotNull(r.RetryAfter));
        Assert.InRange(refused.Count, 1, 30);
        Assert.Equal(130 - refused.Count, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        await RouterTestSupport.LogContainingAsync(Server, app, "at=error code=H11 desc=\"Backlog too deep\"");
    }
}
