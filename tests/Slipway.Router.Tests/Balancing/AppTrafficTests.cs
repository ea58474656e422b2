using Slipway.Router.Balancing;

namespace Slipway.Router.Tests.Balancing;

public sealed class AppTrafficTests
{
    [Fact]
    public void Backlog_RefusesBeyondItsLimit_AndCountsAsBusy()
    {
        var app = new AppTraffic();
        Assert.False(app.Busy);
        Assert.True(app.TryWait(2));
        Assert.True(app.TryWait(2));
        Assert.False(app.TryWait(2));
        Assert.True(app.Busy);
        app.StopWaiting();
        app.StopWaiting();
        Assert.False(app.Busy);
    }

    [Fact]
    public void RequestEnding_WakesOneListener_FirstComeFirstServed()
    {
        var (app, dyno) = FullDynoWithTwoWaiting();
        var first = app.Listen();
        var second = app.Listen();

        app.Exit(dyno);
        Assert.True(first.Task.IsCompletedSuccessfully);
        Assert.False(second.Task.IsCompleted);
        Assert.True(app.TryEnter(dyno, 1));
    }

    [Fact]
    public void WokenListener_ThatStopsListening_PassesTheWakeUpOn()
    {
        var (app, dyno) = FullDynoWithTwoWaiting();
        var first = app.Listen();
        var second = app.Listen();

        app.Exit(dyno);
        app.StopListening(first); // it gave up (timeout, client gone) before using the free slot
        Assert.True(second.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public void WithdrawnListener_IsSkipped()
    {
        var (app, dyno) = FullDynoWithTwoWaiting();
        var first = app.Listen();
        var second = app.Listen();

        app.StopListening(first);
        app.Exit(dyno);
        Assert.True(first.Task.IsCanceled);
        Assert.True(second.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Drain_WaitsForTheDynosRequests_ThenForgetsIt()
    {
        var app = new AppTraffic();
        var dyno = app.Dyno("d1");
        Assert.True(app.TryEnter(dyno, 50));
        var drain = app.DrainAsync("d1", TimeSpan.FromMinutes(5));
        Assert.False(drain.IsCompleted);
        Assert.False(app.TryEnter(app.Dyno("d1"), 50));

        app.Exit(dyno);
        await drain;
        Assert.NotSame(dyno, app.Dyno("d1"));
        Assert.False(app.Busy);
    }

    [Fact]
    public async Task Drain_GivesUpAtTheTimeout()
    {
        var app = new AppTraffic();
        Assert.True(app.TryEnter(app.Dyno("d1"), 50));
        await app.DrainAsync("d1", TimeSpan.Zero);
        Assert.True(app.Busy); // the request still runs; the dyno is stopped under it, as after Heroku's 30 s
    }

    [Fact]
    public void Forget_DropsTheCounter_AndARequestStillOnItExitsCleanly()
    {
        var requests = new InFlightRequests();
        var app = requests.For("app-1");
        var crashed = app.Dyno("d1");
        Assert.True(app.TryEnter(crashed, 50));

        requests.Forget("app-1", "d1");
        requests.Forget("app-2", "d1"); // an app the router never saw: nothing to drop

        Assert.NotSame(crashed, app.Dyno("d1"));
        Assert.True(app.Busy);
        app.Exit(crashed);
        Assert.False(app.Busy);
    }

    private static (AppTraffic App, DynoTraffic Dyno) FullDynoWithTwoWaiting()
    {
        var app = new AppTraffic();
        var dyno = app.Dyno("d1");
        Assert.True(app.TryEnter(dyno, 1));
        Assert.True(app.TryWait(50));
        Assert.True(app.TryWait(50));
        return (app, dyno);
    }
}
