using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Slipway.Cli.Storage;

/// <summary>
/// HTTP for the S3 client that connects <c>*.localhost</c> names to the loopback address (RFC 6761), since the store is
/// reached as <c>storage.localhost</c> on a default install and the system resolver does not answer for subdomains.
/// </summary>
internal sealed class LoopbackHttpClientFactory : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new SocketsHttpHandler { ConnectCallback = ConnectAsync, ConnectTimeout = TimeSpan.FromSeconds(15) }) { Timeout = Timeout.InfiniteTimeSpan };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        EndPoint target = host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port)
            : context.DnsEndPoint;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
