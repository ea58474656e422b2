using System.Collections.Concurrent;

namespace Slipway.Core.Quota;

/// <summary>
/// Router traffic per app, as the sleeping policy needs it: when the last request came, and a bounded sample of request
/// times (at most one per tenth of the idle timeout) for spotting pingers.
/// </summary>
public sealed class IdleTracker(TimeSpan idleAfter, int samples = 100)
{
    // The router touches an app twice per request: no lock shared between apps, and none at all between samples.
    private readonly ConcurrentDictionary<string, AppTraffic> _apps = new(StringComparer.Ordinal);

    public TimeSpan IdleAfter { get; } = idleAfter;

    /// <summary>Records a request (or a wake) for the app.</summary>
    public void Touch(string appId, DateTimeOffset at) =>
        _apps.GetOrAdd(appId, static _ => new AppTraffic()).Record(at, IdleAfter / 10, samples);

    public DateTimeOffset? LastRequest(string appId) => _apps.TryGetValue(appId, out var traffic) ? traffic.Last : null;

    /// <summary>When the app becomes idle if no request comes: the last request plus the idle timeout.</summary>
    public DateTimeOffset SleepsAt(string appId, DateTimeOffset awakeSince)
    {
        var last = LastRequest(appId);
        var from = last is { } l && l > awakeSince ? l : awakeSince;
        return from + IdleAfter;
    }

    public bool LooksPinged(string appId) => _apps.TryGetValue(appId, out var traffic) && traffic.LooksPinged(IdleAfter);

    public void Forget(string appId) => _apps.TryRemove(appId, out _);

    private sealed class AppTraffic
    {
        private readonly List<DateTimeOffset> _samples = [];
        private long _lastTicks = -1;
        private long _lastSampleTicks = -1;

        public DateTimeOffset? Last => Volatile.Read(ref _lastTicks) is var ticks and >= 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

        public void Record(DateTimeOffset at, TimeSpan sampleGap, int capacity)
        {
            var ticks = at.UtcTicks;
            // Concurrent requests may record slightly out of order: the last request is the latest one.
            for (var last = Volatile.Read(ref _lastTicks); ticks > last; last = Volatile.Read(ref _lastTicks))
            {
                if (Interlocked.CompareExchange(ref _lastTicks, ticks, last) == last)
                {
                    break;
                }
            }

            if (Volatile.Read(ref _lastSampleTicks) is var sampled and >= 0 && ticks - sampled < sampleGap.Ticks)
            {
                return;
            }

            lock (_samples)
            {
                if (_samples.Count > 0 && at - _samples[^1] < sampleGap)
                {
                    return;
                }

                _samples.Add(at);
                if (_samples.Count > capacity)
                {
                    _samples.RemoveAt(0);
                }

                Volatile.Write(ref _lastSampleTicks, ticks);
            }
        }

        public bool LooksPinged(TimeSpan idleAfter)
        {
            lock (_samples)
            {
                return PingerDetector.LooksPinged(_samples, idleAfter);
            }
        }
    }
}
