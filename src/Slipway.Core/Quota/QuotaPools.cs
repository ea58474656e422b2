namespace Slipway.Core.Quota;

/// <summary>Which monthly pool a dyno's running time is charged to.</summary>
public enum QuotaPool
{
    /// <summary>Not metered: paid sizes.</summary>
    None,

    /// <summary>The free pool: 550 h a month, 1000 h once the account is verified.</summary>
    Free,

    /// <summary>Heroku's Eco plan: a separate 1000 h pool.</summary>
    Eco,
}

/// <summary>The sizes of the monthly pools, in seconds (Heroku's numbers by default).</summary>
public sealed record QuotaPools
{
    public TimeSpan Free { get; init; } = TimeSpan.FromHours(550);

    public TimeSpan FreeVerified { get; init; } = TimeSpan.FromHours(1000);

    public TimeSpan Eco { get; init; } = TimeSpan.FromHours(1000);

    public TimeSpan For(QuotaPool pool, bool verified) => pool switch
    {
        QuotaPool.Free => verified ? FreeVerified : Free,
        QuotaPool.Eco => Eco,
        _ => TimeSpan.MaxValue,
    };

    /// <summary>The pool a dyno size draws from.</summary>
    public static QuotaPool PoolOf(string size) => size switch
    {
        "free" => QuotaPool.Free,
        "eco" => QuotaPool.Eco,
        _ => QuotaPool.None,
    };
}

/// <summary>Quota months are calendar months in UTC.</summary>
public static class QuotaMonth
{
    public static DateTimeOffset StartOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static DateTimeOffset EndOf(DateTimeOffset at) => StartOf(at).AddMonths(1);

    /// <summary>The month key used in storage, e.g. <c>2026-11</c>.</summary>
    public static string Key(DateTimeOffset at) => StartOf(at).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
