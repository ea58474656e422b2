using System.Globalization;

namespace Slipway.Build;

/// <summary>Sizes as Heroku prints them in build output (<c>1.2M</c>, <c>500M</c>) and in messages (<c>1 GiB</c>).</summary>
public static class ByteSize
{
    private const double Mebi = 1024 * 1024;

    /// <summary><c>502.5M</c>, <c>1.2M</c>, <c>12K</c>: one decimal in megabytes, kilobytes below 0.1M.</summary>
    public static string Compact(long bytes)
    {
        if (bytes < 0.1 * Mebi)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)Math.Ceiling(bytes / 1024.0))}K");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes / Mebi:0.0}M");
    }

    /// <summary><c>500M</c> for a whole number of megabytes, else as <see cref="Compact"/>.</summary>
    public static string Limit(long bytes) =>
        bytes % (1024 * 1024) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)}M") : Compact(bytes);

    /// <summary><c>1 GiB</c>, <c>300 MiB</c>, <c>4096 bytes</c>.</summary>
    public static string Readable(long bytes) => bytes switch
    {
        _ when bytes >= 1L << 30 && bytes % (1L << 30) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 30} GiB"),
        _ when bytes >= 1L << 20 && bytes % (1L << 20) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB"),
        _ when bytes >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / Mebi:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
