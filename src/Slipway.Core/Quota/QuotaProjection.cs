namespace Slipway.Core.Quota;

/// <summary>Where the month is heading: the burn rate so far and the day the pool runs out at that rate.</summary>
public sealed record QuotaProjection(double UsedSeconds, double QuotaSeconds, double HoursPerDay, DateTimeOffset? RunsOutAt)
{
    public double RemainingSeconds => Math.Max(0, QuotaSeconds - UsedSeconds);

    public static QuotaProjection For(double usedSeconds, TimeSpan quota, DateTimeOffset now)
    {
        var start = QuotaMonth.StartOf(now);
        var elapsedDays = Math.Max((now - start).TotalDays, 1.0 / 24);
        var perDay = usedSeconds / 3600 / elapsedDays;
        DateTimeOffset? runsOut = null;
        if (usedSeconds >= quota.TotalSeconds)
        {
            runsOut = now;
        }
        else if (perDay > 0)
        {
            // Compare in days before building a date: a tiny burn rate projects past any representable DateTimeOffset.
            var days = (quota.TotalSeconds - usedSeconds) / 3600 / perDay;
            runsOut = days < (QuotaMonth.EndOf(now) - now).TotalDays ? now + TimeSpan.FromDays(days) : null;
        }

        return new QuotaProjection(usedSeconds, quota.TotalSeconds, perDay, runsOut);
    }

    /// <summary>Heroku's <c>950h 30m</c>.</summary>
    public static string Hours(double seconds)
    {
        var minutes = (long)(seconds / 60);
        return $"{minutes / 60}h {minutes % 60}m";
    }
}
