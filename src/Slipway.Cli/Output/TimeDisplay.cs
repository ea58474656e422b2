using System.Globalization;

namespace Slipway.Cli.Output;

/// <summary>Heroku's timestamps: <c>2026/11/29 21:00:00 +0000 (~ 5s ago)</c>, in the local time zone.</summary>
internal static class TimeDisplay
{
    public static string Format(DateTimeOffset when, TimeProvider time)
    {
        var local = TimeZoneInfo.ConvertTime(when, time.LocalTimeZone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        var text = local.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture) +
                   $" {sign}{abs.Hours:00}{abs.Minutes:00}";
        var ago = Ago(time.GetUtcNow() - when);
        return ago is null ? text : $"{text} (~ {ago} ago)";
    }

    /// <summary>Seconds up to a minute, minutes up to an hour, hours up to 25 hours, else nothing.</summary>
    public static string? Ago(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero)
            elapsed = TimeSpan.Zero;
        if (elapsed <= TimeSpan.FromSeconds(60))
            return $"{(int)elapsed.TotalSeconds}s";
        if (elapsed <= TimeSpan.FromMinutes(60))
            return $"{(int)elapsed.TotalMinutes}m";
        if (elapsed < TimeSpan.FromHours(25))
            return $"{(int)elapsed.TotalHours}h";
        return null;
    }
}
