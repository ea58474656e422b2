using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Quota;

namespace Slipway.Core.Tests.Quota;

public sealed class IdleTrackerTests
{
    private static readonly TimeSpan ThirtyMinutes = TimeSpan.FromMinutes(30);

    [Fact]
    public void SleepsAt_ExactlyTheIdleTimeAfterTheLastRequest()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var tracker = new IdleTracker(ThirtyMinutes);
        var awake = time.GetUtcNow();
        Assert.Equal(awake + ThirtyMinutes, tracker.SleepsAt("app", awake));
        time.Advance(TimeSpan.FromMinutes(12));
        tracker.Touch("app", time.GetUtcNow());
        Assert.Equal(time.GetUtcNow() + ThirtyMinutes, tracker.SleepsAt("app", awake));
    }

    [Fact]
    public void Pinger_EveryTwentyFiveMinutesForADay_IsFlagged()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var tracker = new IdleTracker(ThirtyMinutes);
        for (var i = 0; i < 24 * 60 / 25; i++)
        {
            tracker.Touch("pinged", time.GetUtcNow() + TimeSpan.FromSeconds(i % 3));
            time.Advance(TimeSpan.FromMinutes(25));
        }

        Assert.True(tracker.LooksPinged("pinged"));
    }

    [Fact]
    public void HumanTraffic_AndAppsThatSleep_AreNotFlagged()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(7);
        var human = new IdleTracker(ThirtyMinutes);
        var at = start;
        for (var i = 0; i < 200; i++)
        {
            at += TimeSpan.FromMinutes(random.Next(1, 29));
            human.Touch("busy", at);
        }

        Assert.False(human.LooksPinged("busy"));

        var sleeper = new IdleTracker(ThirtyMinutes);
        at = start;
        for (var i = 0; i < 20; i++)
        {
            at += TimeSpan.FromMinutes(i % 5 == 0 ? 40 : 25);
            sleeper.Touch("sleeps", at);
        }

        Assert.False(sleeper.LooksPinged("sleeps"));
    }
}
