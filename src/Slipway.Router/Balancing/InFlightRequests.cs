using System.Collections.Concurrent;
using Slipway.Runtime.Dynos;

namespace Slipway.Router.Balancing;

/// <summary>Every app's requests in flight: the router admits and releases them; Runtime drains and checks through <see cref="IDynoTraffic"/>.</summary>
public sealed class InFlightRequests : IDynoTraffic
{
    private readonly ConcurrentDictionary<string, AppTraffic> _apps = new(StringComparer.Ordinal);

    public AppTraffic For(string appId) => _apps.GetOrAdd(appId, static _ => new AppTraffic());

    // Through For: a request racing the drain must find the dyno already marked, even for an app not seen before.
    public Task DrainAsync(string appId, string dynoId, TimeSpan timeout) => For(appId).DrainAsync(dynoId, timeout);

    public bool IsBusy(string appId) => _apps.TryGetValue(appId, out var app) && app.Busy;

    /// <summary>Drops a deleted app's counters (its dynos are all stopped by then).</summary>
    public void Forget(string appId) => _apps.TryRemove(appId, out _);

    public void Forget(string appId, string dynoId)
    {
        if (_apps.TryGetValue(appId, out var app))
        {
            app.Forget(dynoId);
        }
    }
}
