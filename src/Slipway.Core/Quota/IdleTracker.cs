namespace Slipway.Core.Quota;

/// <summary>
/// Router traffic per app, as the sleeping policy needs it: when the last request came, and a bounded sample of request
/// times (at most one per tenth of the idle timeout) for spotting pingers.
/// </summary>
public sealed class IdleTracker(TimeSpan idleAfter, int samples = 100)
{
    private readonly Dictionary<string, AppTraffic> _apps = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public TimeSpan IdleAfter { get; } = idleAfter;

    /// <summary>Records a request (or a wake) for the app.</summary>
    public void Touch(string appId, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_apps.TryGetValue(appId, out var traffic))
            {
                traffic = new AppTraffic();
                _apps[appId] = traffic;
            }

            traffic.Last = at;
            if (traffic.Samples.Count == 0 || at - traffic.Samples[^1] >= IdleAfter / 10)
            {
                traffic.Samples.Add(at);
                if (traffic.Samples.Count > samples)
                {
                    traffic.Samples.RemoveAt(0);
                }
            }
        }
    }

    public DateTimeOffset? LastRequest(string appId)
    {
        lock (_gate)
        {
            return _apps.TryGetValue(appId, out var traffic) ? traffic.Last : null;
        }
    }

    /// <summary>When the app becomes idle if no request comes: the last request plus the idle timeout.</summary>
    public DateTimeOffset SleepsAt(string appId, DateTimeOffset awakeSince)
    {
        var last = LastRequest(appId);
        var from = last is { } l && l > awakeSince ? l : awakeSince;
        return from + IdleAfter;
    }

    public bool LooksPinged(string appId)
    {
        lock (_gate)
        {
            return _apps.TryGetValue(appId, out var traffic) && PingerDetector.LooksPinged(traffic.Samples, IdleAfter);
        }
    }

    public void Forget(string appId)
    {
        lock (_gate)
        {
            _apps.Remove(appId);
        }
    }

    private sealed class AppTraffic
    {
        public DateTimeOffset Last { get; set; }

        public List<DateTimeOffset> Samples { get; } = [];
    }
}
