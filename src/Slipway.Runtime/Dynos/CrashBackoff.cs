namespace Slipway.Runtime.Dynos;

/// <summary>Heroku's crash policy: the first restart is immediate, then the wait doubles up to a cool-off ceiling.</summary>
public static class CrashBackoff
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(10);

    /// <summary>A dyno that ran this long before crashing starts a new series: its crash is the first in a row again.</summary>
    public static readonly TimeSpan StableUptime = TimeSpan.FromMinutes(10);

    /// <summary>The wait before restarting after the <paramref name="consecutiveCrashes"/>-th crash in a row (1-based).</summary>
    public static TimeSpan Delay(int consecutiveCrashes, TimeSpan ceiling)
    {
        if (consecutiveCrashes <= 1)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(consecutiveCrashes - 2, 20);
        var delay = Base * Math.Pow(2, exponent);
        return delay < ceiling ? delay : ceiling;
    }
}
