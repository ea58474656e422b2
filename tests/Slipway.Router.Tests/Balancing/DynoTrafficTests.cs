using Slipway.Router.Balancing;

namespace Slipway.Router.Tests.Balancing;

public sealed class DynoTrafficTests
{
    [Fact]
    public void TryEnter_AdmitsUpToTheLimit_AndExitMakesRoom()
    {
        var dyno = new DynoTraffic();
        Assert.True(dyno.TryEnter(2));
        Assert.True(dyno.TryEnter(2));
        Assert.False(dyno.TryEnter(2));
        dyno.Exit();
        Assert.True(dyno.TryEnter(2));
        Assert.Equal(2, dyno.InFlight);
    }

    [Fact]
    public void Drain_RefusesNewRequests_AndCompletesWhenTheLastOneExits()
    {
        var dyno = new DynoTraffic();
        Assert.True(dyno.TryEnter(50));
        Assert.True(dyno.TryEnter(50));
        var drained = dyno.DrainAsync();

        Assert.False(dyno.TryEnter(50));
        dyno.Exit();
        Assert.False(drained.IsCompleted);
        dyno.Exit();
        Assert.True(drained.IsCompletedSuccessfully);
    }

    [Fact]
    public void Drain_WithNothingInFlight_CompletesAtOnce() => Assert.True(new DynoTraffic().DrainAsync().IsCompletedSuccessfully);
}
