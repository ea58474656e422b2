using System.Net;
using System.Text.Json;
using Slipway.Api.Tests.Infrastructure;

namespace Slipway.Api.Tests.Endpoints;

/// <summary><c>GET /apps/{app}/dyno-metrics</c>: a running dyno's memory per minute against its quota.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class DynoMetricsEndpointTests(ApiHost host)
{
    [Fact]
    public async Task ARunningDyno_HasMemoryMinutes_WithItsSizesQuota()
    {
        JsonElement? web = null;
        for (var attempt = 0; attempt < 600 && web is null; attempt++)
        {
            var metrics = await host.JsonAsync(HttpMethod.Get, $"/apps/{host.AppName}/dyno-metrics");
            Assert.Equal(host.AppName, metrics.GetProperty("app").GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Array, metrics.GetProperty("events").ValueKind);
            web = metrics.GetProperty("dynos").EnumerateArray().Where(d => d.GetProperty("name").GetString() == "web.1").Cast<JsonElement?>().FirstOrDefault();
            if (web is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(web is not null, "web.1's memory was never sampled.");
        var dyno = web.Value;
        var quota = dyno.GetProperty("quota_bytes").GetInt64();
        Assert.True(quota >= 512L * 1024 * 1024, $"quota {quota}");
        var minute = dyno.GetProperty("minutes").EnumerateArray().Last();
        Assert.True(minute.GetProperty("max_bytes").GetInt64() > 0);
        Assert.Equal(quota, minute.GetProperty("quota_bytes").GetInt64());
        Assert.EndsWith(":00Z", minute.GetProperty("at").GetString());
    }

    [Fact]
    public async Task AnUnknownApp_IsNotFound()
    {
        using var response = await host.SendAsync(HttpMethod.Get, "/apps/no-such-app-here/dyno-metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
