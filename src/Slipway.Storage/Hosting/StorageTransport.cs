using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Slipway.Storage.Hosting;

/// <summary>
/// Kestrel's socket transport for the storage port only, with request code run on the socket event thread instead of a
/// thread pool hop per read and write (the router's port does the same): a small GET then costs no context switch. The
/// S3 server keeps blocking work (SQLite, file opens, fsyncs) off these threads through <see cref="Engine.BlockingWork"/>;
/// whatever is not a plain object GET, HEAD or PUT moves to the thread pool before it is dispatched.
/// </summary>
public sealed class StorageTransport(int port, ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly SocketTransportFactory _sockets = new(
        Options.Create(new SocketTransportOptions
        {
            UnsafePreferInlineScheduling = true,
            // Kestrel receives 4 KiB per call: without this each call of a large PUT's body is preceded by a zero-byte
            // read that waits for data, two syscalls per 4 KiB. The price is a 4 KiB buffer held by each idle connection.
            WaitForDataBeforeAllocatingBuffer = false,
        }), loggerFactory);

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint ip && ip.Port == port;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        _sockets.BindAsync(endpoint, cancellationToken);
}
