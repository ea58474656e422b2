using System.Collections.Concurrent;

namespace Slipway.Core.Metrics;

/// <summary>Every app's router traffic for the last six hours, kept in memory: the router writes it, the API reads it.</summary>
public sealed class RouterMetrics(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AppRouterMetrics> _apps = new(StringComparer.Ordinal);

    public void Record(string appId, int status, long serviceMilliseconds) =>
        _apps.GetOrAdd(appId, static _ => new AppRouterMetrics()).Record(CurrentMinute(), status, serviceMilliseconds);

    /// <summary>The app's minutes with traffic in the last six hours, oldest first.</summary>
    public IReadOnlyList<RouterMinute> Read(string appId) =>
        _apps.TryGetValue(appId, out var app) ? app.Read(CurrentMinute()) : [];

    /// <summary>Drops a deleted app's traffic.</summary>
    public void Forget(string appId) => _apps.TryRemove(appId, out _);

    private long CurrentMinute() => time.GetUtcNow().ToUnixTimeSeconds() / 60;
}
