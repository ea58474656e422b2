using System.Collections.Concurrent;
using Slipway.Data.Domains;

namespace Slipway.Router.Routing;

/// <summary>Custom hostname → app id, read from the store once and kept in memory until a domain is added or removed.</summary>
public sealed class CustomDomains
{
    // Unknown hosts are remembered too (as null), or every stray request would cost a query; a flood of made-up names only refills it.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, string?> _apps = new(StringComparer.Ordinal);
    private readonly DomainRepository _domains;
    private int _version;

    public CustomDomains(DomainRepository domains)
    {
        _domains = domains;
        domains.Changed += () =>
        {
            Interlocked.Increment(ref _version);
            _apps.Clear();
        };
    }

    /// <summary>The id of the app that <paramref name="host"/> (lower case, no port) routes to, or null.</summary>
    public async ValueTask<string?> AppIdForAsync(string host, CancellationToken cancellationToken)
    {
        if (_apps.TryGetValue(host, out var appId))
        {
            return appId;
        }

        // The router runs on the socket event thread (RouterTransport): the store's query blocks, so it runs on the pool.
        await Task.Yield();
        var version = Volatile.Read(ref _version);
        appId = await _domains.AppForHostAsync(host, cancellationToken);
        if (_apps.Count >= MaxEntries)
        {
            _apps.Clear();
        }

        // A change during the query may have made the answer stale: use it, but do not keep it.
        if (version == Volatile.Read(ref _version))
        {
            _apps[host] = appId;
        }

        return appId;
    }
}
