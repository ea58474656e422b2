namespace Slipway.Core.Dynos;

/// <summary>A dyno size with Heroku's memory quota; R14 above <see cref="MemoryBytes"/>, R15 at twice it.</summary>
public sealed record DynoSize(string Name, string DisplayName, long MemoryMegabytes, bool Sleeps, int PidsMax, int CpuShares)
{
    public long MemoryBytes => MemoryMegabytes * 1024 * 1024;

    /// <summary>The hard limit: Heroku kills with R15 at twice the quota.</summary>
    public long HardLimitBytes => MemoryBytes * 2;

    public static readonly DynoSize Free = new("free", "Free", 512, Sleeps: true, 256, 1024);
    public static readonly DynoSize Eco = new("eco", "Eco", 512, Sleeps: true, 256, 1024);
    public static readonly DynoSize Basic = new("basic", "Basic", 512, Sleeps: false, 256, 1024);
    public static readonly DynoSize Standard1X = new("standard-1x", "Standard-1X", 512, Sleeps: false, 256, 1024);
    public static readonly DynoSize Standard2X = new("standard-2x", "Standard-2X", 1024, Sleeps: false, 512, 2048);
    public static readonly DynoSize PerformanceM = new("performance-m", "Performance-M", 2560, Sleeps: false, 16384, 8192);
    public static readonly DynoSize PerformanceL = new("performance-l", "Performance-L", 14336, Sleeps: false, 32768, 16384);

    public static IReadOnlyList<DynoSize> All { get; } = [Free, Eco, Basic, Standard1X, Standard2X, PerformanceM, PerformanceL];

    /// <summary>The size a new process type gets unless the user scales it to another.</summary>
    public static DynoSize Default => Basic;

    /// <summary>Finds a size by name, case-insensitively, accepting Heroku's legacy aliases (1X, 2X, PX).</summary>
    public static DynoSize? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var key = name.Trim().ToLowerInvariant() switch
        {
            "1x" or "standard1x" => "standard-1x",
            "2x" or "standard2x" => "standard-2x",
            "px" => "performance-l",
            "hobby" => "basic",
            var n => n,
        };
        return All.FirstOrDefault(s => s.Name == key);
    }
}
