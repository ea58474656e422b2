using Slipway.Core.Metrics;

namespace Slipway.Core.Tests.Metrics;

public sealed class ServiceTimeHistogramTests
{
    [Fact]
    public void Percentiles_AreExactForShortTimes_AndBucketBoundsForLongOnes()
    {
        var histogram = new ServiceTimeHistogram();
        for (var ms = 1; ms <= 100; ms++)
        {
            histogram.Add(ms);
        }

        Assert.Equal(100, histogram.Count);
        Assert.Equal(50, histogram.Percentile(0.50)); // 50 ms is itself a bucket bound
        Assert.Equal(60, histogram.Percentile(0.51)); // 51 ms is counted in the bucket that ends at 60
        Assert.Equal(100, histogram.Percentile(0.95));
        Assert.Equal(100, histogram.Percentile(0.99));

        histogram.Clear();
        histogram.Add(3);
        Assert.Equal(3, histogram.Percentile(0.5));
    }

    [Fact]
    public void TimesBeyondAMinute_ReportAsAMinute_AndEmptyIsZero()
    {
        var histogram = new ServiceTimeHistogram();
        Assert.Equal(0, histogram.Percentile(0.99));
        histogram.Add(3_600_000);
        Assert.Equal(60_000, histogram.Percentile(0.99));
    }
}
