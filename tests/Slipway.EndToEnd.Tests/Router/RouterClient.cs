using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>HTTP and WebSocket clients that reach any <c>{host}</c> through the router's port, as DNS would in production.</summary>
internal sealed class RouterClient : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly int _port;

    public RouterClient(SlipwayServer server, TimeSpan? timeout = null)
    {
        _port = server.RouterPort;
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        Http = new HttpClient(_handler, disposeHandler: false) { Timeout = timeout ?? TimeSpan.FromSeconds(120) };
    }

    public HttpClient Http { get; }

    public Uri Url(string host, string path = "/") => new($"http://{host}:{_port}{path}");

    public Uri AppUrl(string app, string path = "/") => Url($"{app}.localhost", path);

    public async Task<ClientWebSocket> ConnectWebSocketAsync(string app, string path = "/")
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // no pings: the connection must survive true silence
        await socket.ConnectAsync(new Uri($"ws://{app}.localhost:{_port}{path}"), new HttpMessageInvoker(_handler, disposeHandler: false), CancellationToken.None);
        return socket;
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
