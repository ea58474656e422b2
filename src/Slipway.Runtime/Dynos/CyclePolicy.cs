namespace Slipway.Runtime.Dynos;

/// <summary>Heroku's daily cycling: a dyno is restarted 24 h after it started, plus a random 0–216 minutes so they don't all cycle at once.</summary>
public static class CyclePolicy
{
    public static DateTimeOffset CycleAt(DateTimeOffset startedAt, TimeSpan after, TimeSpan jitter, Random random) =>
        startedAt + after + TimeSpan.FromTicks((long)(random.NextDouble() * jitter.Ticks));
}
