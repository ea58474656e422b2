using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Runtime.Dynos;

namespace Slipway.Router.Routing;

/// <summary>
/// The app owner's own error and maintenance pages (<c>ERROR_PAGE_URL</c>, <c>MAINTENANCE_PAGE_URL</c>), as on Heroku: fetched
/// with a short timeout, kept for a while, and replaced by the built-in page whenever they cannot be had.
/// </summary>
public sealed class ErrorPages : IDisposable
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryFailedAfter = TimeSpan.FromSeconds(30);
    private const int MaxPageBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<string, CachedPage> _pages = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    public ErrorPages(RouterOptions options, TimeProvider time)
    {
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options.RouterPort, cancellationToken),
        })
        { Timeout = FetchTimeout, MaxResponseContentBufferSize = MaxPageBytes };
    }

    /// <summary>The owner's page for <paramref name="error"/>, or null to use the built-in one.</summary>
    public async ValueTask<string?> FindAsync(AppRoute route, RouterError error, CancellationToken cancellationToken)
    {
        var url = error == RouterError.Maintenance ? route.MaintenancePageUrl : route.ErrorPageUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (_pages.TryGetValue(url, out var cached) && cached.Until > now)
        {
            return cached.Html;
        }

        var html = await FetchAsync(url, cancellationToken);
        _pages[url] = new CachedPage(html, now + (html is null ? RetryFailedAfter : KeepFor));
        return html;
    }

    public void Dispose() => _http.Dispose();

    private async Task<string?> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken);
            return response.IsSuccessStatusCode ? Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(cancellationToken)) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return null; // the built-in page is better than none
        }
    }

    /// <summary>
    /// The owner chooses the URL, so this machine's loopback is reachable only through the router (a page served by an app),
    /// never slipwayd's API, the object store or a dyno directly.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, int? routerPort, CancellationToken cancellationToken)
    {
        var host = endpoint.Host.TrimEnd('.');
        IPAddress[] addresses = host == "localhost" || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? [IPAddress.Loopback]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        foreach (var address in addresses)
        {
            if (IPAddress.IsLoopback(address) && endpoint.Port != routerPort)
            {
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endpoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        throw new HttpRequestException($"No allowed address for {endpoint.Host}:{endpoint.Port}.");
    }

    private sealed record CachedPage(string? Html, DateTimeOffset Until);
}
