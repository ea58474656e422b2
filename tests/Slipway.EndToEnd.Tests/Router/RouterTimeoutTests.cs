using System.Net;
using System.Net.WebSockets;
using System.Text;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>H12 counts only the wait for the first byte; after it only silence (H15) ends a response; WebSockets never time out.</summary>
[Collection(ShortTimeoutServer.Collection)]
public sealed class RouterTimeoutTests(ShortTimeoutServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task DynoSlowerThanRequestTimeout_GetsH12_AndKeepsServing()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        using var slow = await client.Http.GetAsync(client.AppUrl(app, $"/sleep?ms={ShortTimeoutServer.RequestTimeoutSeconds * 1000 * 3}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, slow.StatusCode);
        Assert.Contains("H12", await slow.Content.ReadAsStringAsync());

        // The app was not restarted for being slow: the same dyno answers the next request.
        using var next = await client.Http.GetAsync(client.AppUrl(app));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        await RouterTestSupport.LogContainingAsync(Server, app, "at=error code=H12 desc=\"Request timeout\" method=GET path=\"/sleep\"");
    }

    [Fact]
    public async Task StreamedResponse_LongerThanRequestTimeout_ArrivesWhole()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        // Six chunks a second apart: three times the request timeout in all, never silent for the idle timeout.
        var body = await client.Http.GetStringAsync(client.AppUrl(app, "/stream?ms=1000&n=6"));
        Assert.Equal("chunk 6\nchunk 5\nchunk 4\nchunk 3\nchunk 2\nchunk 1\n", body);
    }

    [Fact]
    public async Task ResponseSilentPastIdleTimeout_IsCut_H15()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);

        using var response = await client.Http.GetAsync(client.AppUrl(app, "/stall"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
        await RouterTestSupport.LogContainingAsync(Server, app, "code=H15 desc=\"Idle connection\"");
    }

    [Fact]
    public async Task WebSocket_SilentLongerThanEveryTimeout_StillEchoes()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server);
        using var socket = await client.ConnectWebSocketAsync(app);

        Assert.Equal("hello", await EchoAsync(socket, "hello"));
        await Task.Delay(TimeSpan.FromSeconds(ShortTimeoutServer.IdleTimeoutSeconds + ShortTimeoutServer.RequestTimeoutSeconds + 1));
        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal("still here", await EchoAsync(socket, "still here"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task WebSocket_OverHttp2_OnTheHttpsPort_Echoes()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        using var client = new RouterClient(Server, https: true);
        using var socket = await client.ConnectWebSocketAsync(app);

        Assert.Equal("over h2", await EchoAsync(socket, "over h2"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
