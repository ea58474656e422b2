using Slipway.Cli.Output;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Output;

public class TimeDisplayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(5, "2026/11/29 20:59:55 +0000 (~ 5s ago)")]
    [InlineData(60, "2026/11/29 20:59:00 +0000 (~ 60s ago)")]
    [InlineData(125, "2026/11/29 20:57:55 +0000 (~ 2m ago)")]
    [InlineData(3 * 3600 + 10, "2026/11/29 17:59:50 +0000 (~ 3h ago)")]
    [InlineData(24 * 3600 + 59 * 60, "2026/11/28 20:01:00 +0000 (~ 24h ago)")]
    [InlineData(25 * 3600, "2026/11/28 20:00:00 +0000")]
    public void Format_Utc_AddsAgoOnlyWithin25Hours(int secondsAgo, string expected)
    {
        var time = new FixedTimeProvider(Now, TimeZoneInfo.Utc);
        Assert.Equal(expected, TimeDisplay.Format(Now.AddSeconds(-secondsAgo), time));
    }

    [Fact]
    public void Format_UsesLocalZoneWithoutColonInOffset()
    {
        var time = new FixedTimeProvider(Now, FixedTimeProvider.Zone("Test/East", TimeSpan.FromHours(5.5)));
        Assert.Equal("2026/11/30 02:29:30 +0530 (~ 30s ago)", TimeDisplay.Format(Now.AddSeconds(-30), time));
    }

    [Fact]
    public void Format_NegativeOffset()
    {
        var time = new FixedTimeProvider(Now, FixedTimeProvider.Zone("Test/West", TimeSpan.FromHours(-8)));
        Assert.Equal("2026/11/29 13:00:00 -0800 (~ 0s ago)", TimeDisplay.Format(Now, time));
    }

    [Fact]
    public void Format_FutureTimestamp_CountsAsNow()
    {
        var time = new FixedTimeProvider(Now, TimeZoneInfo.Utc);
        Assert.Equal("2026/11/29 21:00:10 +0000 (~ 0s ago)", TimeDisplay.Format(Now.AddSeconds(10), time));
    }
}
