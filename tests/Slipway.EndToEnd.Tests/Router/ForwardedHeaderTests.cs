using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>What the dyno and the client see of the router: forwarding headers, request ids, hop-by-hop headers, the log line.</summary>
[Collection(ShortTimeoutServer.Collection)]
public sealed class ForwardedHeaderTests(ShortTimeoutServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task Dyno_SeesForwardingHeaders_AndNoHopByHopOnes_ClientGetsTheRequestIdBack()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);
        using var request = new HttpRequestMessage(HttpMethod.Get, client.AppUrl(app, "/headers"));
        request.Headers.Add("X-Request-Id", "client-chosen-request-id-0001");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Hop", "for the router only");
        request.Headers.Connection.Add("X-Hop");
        request.Headers.Add("Keep-Alive", "timeout=5");

        using var response = await client.Http.SendAsync(request);
        var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("client-chosen-request-id-0001", seen.GetProperty("x-request-id").GetString());
        Assert.Equal("203.0.113.7, 127.0.0.1", seen.GetProperty("x-forwarded-for").GetString());
        Assert.Equal("http", seen.GetProperty("x-forwarded-proto").GetString());
        Assert.Equal($"{Server.RouterPort}", seen.GetProperty("x-forwarded-port").GetString());
        Assert.Equal("1.1 slipway", seen.GetProperty("via").GetString());
        Assert.False(seen.TryGetProperty("x-hop", out _));
        Assert.False(seen.TryGetProperty("keep-alive", out _));
        Assert.Equal("client-chosen-request-id-0001", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.Contains("1.1 slipway", response.Headers.Via.ToString());
    }

    [Fact]
    public async Task HttpsPort_SpeaksHttp2_AndTellsTheDynoTheRequestCameOverHttps()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server, https: true);

        using var response = await client.Http.GetAsync(client.AppUrl(app, "/headers?over=tls"));

        Assert.Equal(System.Net.HttpVersion.Version20, response.Version);
        var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https", seen.GetProperty("x-forwarded-proto").GetString());
        Assert.Equal($"{Server.RouterTlsPort}", seen.GetProperty("x-forwarded-port").GetString());
        Assert.Equal("127.0.0.1", seen.GetProperty("x-forwarded-for").GetString());
        var log = await RouterTestSupport.LogContainingAsync(Server, app, "path=\"/headers?over=tls\"");
        Assert.Matches(@"status=200 bytes=\d+ protocol=https", log);
    }

    [Fact]
    public async Task InvalidRequestId_IsReplaced_AndTheNewOneReturned()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);
        using var request = new HttpRequestMessage(HttpMethod.Get, client.AppUrl(app, "/headers"));
        request.Headers.Add("X-Request-Id", "short id; bad");

        using var response = await client.Http.SendAsync(request);
        var given = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("x-request-id").GetString();
        Assert.True(Guid.TryParse(given, out var id), given);
        Assert.Equal(4, id.Version); // a random UUID, as Heroku's router makes
        Assert.Equal(given, Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    [Fact]
    public async Task RouterLine_CountsTheBodyBytesSent_EvenWithoutContentLength()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);
        using var response = await client.Http.GetAsync(client.AppUrl(app, "/stream?ms=10&n=3"), HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(24, (await response.Content.ReadAsByteArrayAsync()).Length);

        var log = await RouterTestSupport.LogContainingAsync(Server, app, "path=\"/stream?ms=10&n=3\"");
        Assert.Matches(@"heroku\[router\]: at=info method=GET path=""/stream\?ms=10&n=3"" host=\S+ request_id=\S+ fwd=""127.0.0.1"" dyno=web.1 connect=\d+ms service=\d+ms status=200 bytes=24 protocol=http", log);
    }
}
