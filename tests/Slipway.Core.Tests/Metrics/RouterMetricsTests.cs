using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Metrics;

namespace Slipway.Core.Tests.Metrics;

public sealed class RouterMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Requests_AreCountedPerMinute_ByStatusClass_WithPercentiles()
    {
        var time = new FakeTimeProvider(Start);
        var metrics = new RouterMetrics(time);
        foreach (var (status, ms) in new[] { (200, 3), (201, 5), (302, 1), (404, 2), (499, 9), (503, 30000), (101, 4) })
        {
            metrics.Record("app", status, ms);
        }

        time.Advance(TimeSpan.FromSeconds(61));
        metrics.Record("app", 200, 7);

        var minutes = metrics.Read("app");
        Assert.Equal(2, minutes.Count);
        Assert.Equal(new RouterMinute(Start, 7, 2, 1, 2, 1, 4, 30000, 30000), minutes[0]);
        Assert.Equal(new RouterMinute(Start.AddMinutes(1), 1, 1, 0, 0, 0, 7, 7, 7), minutes[1]);
        Assert.Empty(metrics.Read("another-app"));
    }

    [Fact]
    public void Forget_DropsADeletedAppsTraffic_AndNoOtherApps()
    {
        var metrics = new RouterMetrics(new FakeTimeProvider(Start));
        metrics.Record("deleted", 200, 1);
        metrics.Record("kept", 200, 1);

        metrics.Forget("deleted");

        Assert.Empty(metrics.Read("deleted"));
        Assert.Single(metrics.Read("kept"));
    }

    [Fact]
    public void OnlyTheLastSixHours_AreKept_AndQuietMinutesAreLeftOut()
    {
        var time = new FakeTimeProvider(Start);
        var metrics = new RouterMetrics(time);
        metrics.Record("app", 200, 1);
        time.Advance(TimeSpan.FromHours(2));
        metrics.Record("app", 200, 1);
        Assert.Equal([Start, Start.AddHours(2)], metrics.Read("app").Select(m => m.At));

        // Six hours after the first minute it has left the window, and its slot is reused for the new minute.
        time.Advance(TimeSpan.FromHours(4));
        Assert.Equal([Start.AddHours(2)], metrics.Read("app").Select(m => m.At));
        metrics.Record("app", 500, 2);
        Assert.Equal([Start.AddHours(2), Start.AddHours(6)], metrics.Read("app").Select(m => m.At));
        Assert.Equal(1, metrics.Read("app")[1].Status5xx);
    }
}
