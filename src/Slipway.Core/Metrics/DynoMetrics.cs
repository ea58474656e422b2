using System.Collections.Concurrent;

namespace Slipway.Core.Metrics;

/// <summary>
/// Every app's dyno memory per minute and its sleeps and wakes, for the last six hours, kept in memory like the router's
/// metrics: the dyno manager writes them, the API reads them.
/// </summary>
public sealed class DynoMetrics(TimeProvider time)
{
    /// <summary>Enough for a wake and a sleep every minute of the window; a flapping app loses its oldest events first.</summary>
    public const int MaxEvents = 2 * AppRouterMetrics.Minutes;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(AppRouterMetrics.Minutes);

    private readonly ConcurrentDictionary<string, AppDynos> _apps = new(StringComparer.Ordinal);

    /// <summary>One memory sample of a running dyno; the minute keeps its highest.</summary>
    public void RecordMemory(string appId, string dyno, long usedBytes, long quotaBytes) =>
        App(appId).Memory.GetOrAdd(dyno, static _ => new DynoMemoryRing()).Record(CurrentMinute(), usedBytes, quotaBytes);

    public void RecordSleep(string appId) => AddEvent(appId, new DynoEvent(time.GetUtcNow(), DynoEventKind.Sleep, null));

    public void RecordWake(string appId, TimeSpan readyIn) =>
        AddEvent(appId, new DynoEvent(time.GetUtcNow(), DynoEventKind.Wake, (int)Math.Round(readyIn.TotalMilliseconds)));

    /// <summary>Each dyno's sampled minutes (dynos without any in the window are left out), and the events of the window, oldest first.</summary>
    public (IReadOnlyDictionary<string, IReadOnlyList<DynoMemoryMinute>> Memory, IReadOnlyList<DynoEvent> Events) Read(string appId)
    {
        if (!_apps.TryGetValue(appId, out var app))
        {
            return (new Dictionary<string, IReadOnlyList<DynoMemoryMinute>>(), []);
        }

        var now = CurrentMinute();
        var memory = new SortedDictionary<string, IReadOnlyList<DynoMemoryMinute>>(StringComparer.Ordinal);
        foreach (var (dyno, ring) in app.Memory)
        {
            if (ring.Read(now) is { Count: > 0 } minutes)
            {
                memory[dyno] = minutes;
            }
        }

        var since = time.GetUtcNow() - Window;
        lock (app.Events)
        {
            return (memory, app.Events.Where(e => e.At > since).ToList());
        }
    }

    /// <summary>Drops a deleted app's metrics.</summary>
    public void Forget(string appId) => _apps.TryRemove(appId, out _);

    private void AddEvent(string appId, DynoEvent dynoEvent)
    {
        var events = App(appId).Events;
        lock (events)
        {
            events.Enqueue(dynoEvent);
            while (events.Count > MaxEvents || events.Peek().At <= dynoEvent.At - Window)
            {
                events.Dequeue();
            }
        }
    }

    private AppDynos App(string appId) => _apps.GetOrAdd(appId, static _ => new AppDynos());

    private long CurrentMinute() => time.GetUtcNow().ToUnixTimeSeconds() / 60;

    private sealed class AppDynos
    {
        public ConcurrentDictionary<string, DynoMemoryRing> Memory { get; } = new(StringComparer.Ordinal);

        public Queue<DynoEvent> Events { get; } = new();
    }
}
