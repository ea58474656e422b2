using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Quota;

namespace Slipway.Core.Tests.Quota;

/// <summary>Whole months simulated with a fake clock.</summary>
public sealed class DynoMeterTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Meter_ChargesToTheSecond_PerApp_AcrossTheAccountsApps()
    {
        var time = new FakeTimeProvider(November);
        var meter = new DynoMeter();
        meter.Start("web-a", "acct", "app-a", QuotaPool.Free, time.GetUtcNow());
        time.Advance(TimeSpan.FromHours(10) + TimeSpan.FromSeconds(1));
        meter.Start("worker-b", "acct", "app-b", QuotaPool.Free, time.GetUtcNow());
        time.Advance(TimeSpan.FromHours(2));
        meter.Stop("web-a", time.GetUtcNow());
        time.Advance(TimeSpan.FromHours(1));

        var usage = meter.UsageByApp("acct", QuotaPool.Free, time.GetUtcNow());
        Assert.Equal(12 * 3600 + 1, usage["app-a"]);
        Assert.Equal(3 * 3600, usage["app-b"]);
        Assert.Equal(0, meter.Used("other", QuotaPool.Free, time.GetUtcNow()));
        Assert.Equal(0, meter.Used("acct", QuotaPool.Eco, time.GetUtcNow()));
    }

    [Fact]
    public void Meter_SplitsAtMonthEnd_AndTheNewMonthStartsEmpty()
    {
        var meter = new DynoMeter();
        var start = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);
        meter.Start("web", "acct", "app", QuotaPool.Free, start);
        var december = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(2 * 3600, meter.Used("acct", QuotaPool.Free, december));
        meter.Stop("web", december);
        Assert.Equal(3600, meter.Used("acct", QuotaPool.Free, december.AddMonths(-1)));
        Assert.Equal(2 * 3600, meter.Used("acct", QuotaPool.Free, december));
        Assert.Equal(0, meter.Used("acct", QuotaPool.Free, december.AddMonths(1)));
    }

    [Fact]
    public void ExhaustedAt_IsTheExactSecond_TheRunningDynosUseUpThePool()
    {
        var meter = new DynoMeter();
        meter.Restore("acct", QuotaPool.Free, "2026-11", "app", TimeSpan.FromHours(549).TotalSeconds);
        var now = November.AddDays(20);
        meter.Start("web", "acct", "app", QuotaPool.Free, now);
        meter.Start("worker", "acct", "app", QuotaPool.Free, now);
        Assert.Equal(now + TimeSpan.FromMinutes(30), meter.ExhaustedAt("acct", QuotaPool.Free, TimeSpan.FromHours(550), now));
        Assert.Null(meter.ExhaustedAt("acct", QuotaPool.Eco, TimeSpan.FromHours(1000), now));
    }

    [Fact]
    public void Pools_VerificationRaisesTheFreePool_AndPaidSizesAreNotMetered()
    {
        var pools = new QuotaPools();
        Assert.Equal(TimeSpan.FromHours(550), pools.For(QuotaPool.Free, verified: false));
        Assert.Equal(TimeSpan.FromHours(1000), pools.For(QuotaPool.Free, verified: true));
        Assert.Equal(QuotaPool.None, QuotaPools.PoolOf("basic"));
        var meter = new DynoMeter();
        meter.Start("web", "acct", "app", QuotaPools.PoolOf("standard-1x"), November);
        Assert.Empty(meter.RunningDynos);
    }

    [Fact]
    public void Projection_FromBurnRate_AndHerokusHourFormat()
    {
        var now = November.AddDays(10);
        var projection = QuotaProjection.For(TimeSpan.FromHours(240).TotalSeconds, TimeSpan.FromHours(550), now);
        Assert.Equal(24, projection.HoursPerDay, 3);
        Assert.Equal(now + TimeSpan.FromDays(310.0 / 24), projection.RunsOutAt);
        Assert.Equal("950h 30m", QuotaProjection.Hours(950.5 * 3600));
        Assert.Null(QuotaProjection.For(3600, TimeSpan.FromHours(550), now).RunsOutAt);
    }
}

public sealed class DynoMeterCheckpointTests
{
    [Fact]
    public void Checkpoint_ReturnsOnlyWhatWasNotSavedYet_AndNothingTwice()
    {
        var start = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        var meter = new DynoMeter();
        meter.Restore("acct", QuotaPool.Free, "2026-11", "app", 100);
        meter.Start("web", "acct", "app", QuotaPool.Free, start);
        var first = meter.Checkpoint(start.AddSeconds(10));
        Assert.Equal(10, Assert.Single(first).Seconds);
        meter.Stop("web", start.AddSeconds(15));
        var second = meter.Checkpoint(start.AddSeconds(20));
        Assert.Equal(5, Assert.Single(second).Seconds);
        Assert.Empty(meter.Checkpoint(start.AddSeconds(30)));
        Assert.Equal(115, meter.Used("acct", QuotaPool.Free, start.AddSeconds(30)));
    }
}

public sealed class QuotaProjectionTests
{
    [Fact]
    public void For_ATinyBurnRate_ProjectsNoRunOut_WithoutOverflowing() =>
        Assert.Null(QuotaProjection.For(0.001, TimeSpan.FromHours(550), new DateTimeOffset(2026, 11, 29, 23, 0, 0, TimeSpan.Zero)).RunsOutAt);
}
