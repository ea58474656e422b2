using Slipway.Runtime.Dynos;

namespace Slipway.Runtime.Tests.Dynos;

public sealed class CyclePolicyTests
{
    [Fact]
    public void CycleAt_Is24HoursPlusUpTo216Minutes()
    {
        var start = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(42);
        var times = Enumerable.Range(0, 1000).Select(_ => CyclePolicy.CycleAt(start, TimeSpan.FromHours(24), TimeSpan.FromMinutes(216), random) - start).ToList();
        Assert.All(times, t => Assert.InRange(t, TimeSpan.FromHours(24), TimeSpan.FromHours(24) + TimeSpan.FromMinutes(216)));
        Assert.True(times.Max() - times.Min() > TimeSpan.FromMinutes(180), "the jitter spreads cycles out");
    }
}
