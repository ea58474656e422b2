using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Slipway.Router.Hosting;

/// <summary>
/// Kestrel's socket transport for the router's plain HTTP port only, with request code run on the socket event thread
/// instead of a thread pool hop per read and write: like nginx's workers, one event thread per core (bench/router.py:
/// bare YARP at 4 connections 3,156 → 9,318 req/s, 222 → 50 µs CPU per request). The storage port does the same through
/// its own <c>StorageTransport</c>, which moves its blocking work to the pool; the API and TLS ports keep the default
/// transport: their handlers do blocking work (SQLite, files, handshakes) that would stall every socket sharing the thread.
/// </summary>
public sealed class RouterTransport(int port, ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly SocketTransportFactory _sockets = new(
        Options.Create(new SocketTransportOptions { UnsafePreferInlineScheduling = true }), loggerFactory);

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint ip && ip.Port == port;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        _sockets.BindAsync(endpoint, cancellationToken);
}
