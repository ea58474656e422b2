using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Metrics;

namespace Slipway.Core.Tests.Metrics;

public sealed class DynoMetricsTests
{
    private const long Mib = 1024 * 1024;
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Memory_KeepsEachDynosHighestSamplePerMinute_WithItsQuota()
    {
        var time = new FakeTimeProvider(Start);
        var metrics = new DynoMetrics(time);
        metrics.RecordMemory("app", "web.1", 100 * Mib, 512 * Mib);
        metrics.RecordMemory("app", "web.1", 300 * Mib, 512 * Mib);
        metrics.RecordMemory("app", "web.1", 200 * Mib, 512 * Mib);
        metrics.RecordMemory("app", "worker.1", 50 * Mib, 1024 * Mib);
        time.Advance(TimeSpan.FromSeconds(60));
        metrics.RecordMemory("app", "web.1", 600 * Mib, 512 * Mib);

        var (memory, events) = metrics.Read("app");
        Assert.Equal(["web.1", "worker.1"], memory.Keys);
        Assert.Equal([new DynoMemoryMinute(Start, 300 * Mib, 512 * Mib), new DynoMemoryMinute(Start.AddMinutes(1), 600 * Mib, 512 * Mib)], memory["web.1"]);
        Assert.Equal([new DynoMemoryMinute(Start, 50 * Mib, 1024 * Mib)], memory["worker.1"]);
        Assert.Empty(events);
        Assert.Empty(metrics.Read("another-app").Memory);
    }

    [Fact]
    public void OnlyTheLastSixHours_AreKept_AndADynoWithoutSamplesInThemIsLeftOut()
    {
        var time = new FakeTimeProvider(Start);
        var metrics = new DynoMetrics(time);
        metrics.RecordMemory("app", "web.1", 10 * Mib, 512 * Mib);
        metrics.RecordSleep("app");
        time.Advance(TimeSpan.FromHours(2));
        metrics.RecordMemory("app", "web.2", 20 * Mib, 512 * Mib);
        metrics.RecordWake("app", TimeSpan.FromMilliseconds(41.6));

        var (memory, events) = metrics.Read("app");
        Assert.Equal(["web.1", "web.2"], memory.Keys);
        Assert.Equal([new DynoEvent(Start, DynoEventKind.Sleep, null), new DynoEvent(Start.AddHours(2), DynoEventKind.Wake, 42)], events);

        time.Advance(TimeSpan.FromHours(4));
        (memory, events) = metrics.Read("app");
        Assert.Equal(["web.2"], memory.Keys);
        Assert.Equal([DynoEventKind.Wake], events.Select(e => e.Kind));
    }

    [Fact]
    public void Events_AreCapped_OldestGoFirst()
    {
        var time = new FakeTimeProvider(Start);
        var metrics = new DynoMetrics(time);
        for (var i = 0; i < DynoMetrics.MaxEvents + 5; i++)
        {
            metrics.RecordSleep("app");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var events = metrics.Read("app").Events;
        Assert.Equal(DynoMetrics.MaxEvents, events.Count);
        Assert.Equal(Start.AddSeconds(5), events[0].At);
    }

    [Fact]
    public void Forget_DropsADeletedAppsMetrics()
    {
        var metrics = new DynoMetrics(new FakeTimeProvider(Start));
        metrics.RecordMemory("app", "web.1", Mib, 512 * Mib);
        metrics.RecordWake("app", TimeSpan.FromSeconds(1));
        metrics.Forget("app");
        var (memory, events) = metrics.Read("app");
        Assert.Empty(memory);
        Assert.Empty(events);
    }
}
