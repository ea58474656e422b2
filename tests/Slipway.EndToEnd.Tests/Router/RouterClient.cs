using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>HTTP and WebSocket clients that reach any <c>{host}</c> through the router's port, as DNS would in production.</summary>
internal sealed class RouterClient : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly int _port;

    private readonly string _scheme;

    /// <summary>With <paramref name="https"/>: through the router's HTTPS port, asking for HTTP/2 and trusting only the certificate slipwayd made.</summary>
    public RouterClient(SlipwayServer server, TimeSpan? timeout = null, bool https = false)
    {
        _port = https ? server.RouterTlsPort : server.RouterPort;
        _scheme = https ? "https" : "http";
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
        if (https)
        {
            var made = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.DataDirectory, "router-tls.crt"));
            _handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == made.Thumbprint;
            Http.DefaultRequestVersion = HttpVersion.Version20;
            Http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
    }

    public HttpClient Http { get; }

    public Uri Url(string host, string path = "/") => new($"{_scheme}://{host}:{_port}{path}");

    public Uri AppUrl(string app, string path = "/") => Url($"{app}.localhost", path);

    public async Task<ClientWebSocket> ConnectWebSocketAsync(string app, string path = "/")
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // no pings: the connection must survive true silence
        if (_scheme == "https")
        {
            // RFC 8441: a WebSocket inside an HTTP/2 stream (extended CONNECT).
            socket.Options.HttpVersion = HttpVersion.Version20;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        var scheme = _scheme == "https" ? "wss" : "ws";
        await socket.ConnectAsync(new Uri($"{scheme}://{app}.localhost:{_port}{path}"), new HttpMessageInvoker(_handler, disposeHandler: false), CancellationToken.None);
        return socket;
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
