namespace Slipway.Runtime.Dynos;

/// <summary>Timings and ranges of the dyno manager; Heroku's values by default, shortened in tests.</summary>
public sealed record RuntimeOptions
{
    /// <summary>R10: a web dyno must bind <c>$PORT</c> within this time.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time between SIGTERM and SIGKILL when a dyno stops.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait before restarting a dyno that keeps crashing.</summary>
    public TimeSpan MaxCrashBackoff { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Longest a release phase may run (Heroku: 1 hour).</summary>
    public TimeSpan ReleasePhaseTimeout { get; init; } = Core.Releases.ReleasePhase.Timeout;

    /// <summary>How often each dyno's memory is sampled for R14/R15.</summary>
    public TimeSpan MemorySampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>R14 is logged at most this often per dyno while it stays over quota.</summary>
    public TimeSpan MemoryWarningInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Daily cycling: dynos restart after this long …</summary>
    public TimeSpan CycleAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>… plus a random share of this, so that they do not all restart together.</summary>
    public TimeSpan CycleJitter { get; init; } = TimeSpan.FromMinutes(216);

    public int FirstDynoPort { get; init; } = 20000;

    public int LastDynoPort { get; init; } = 29999;

    /// <summary>App host uids are <c>UidBase + app sequence</c>.</summary>
    public int UidBase { get; init; } = 200_000;

    /// <summary>The router's domain, for <c>SLIPWAY_APP_DEFAULT_DOMAIN_NAME</c>.</summary>
    public string Domain { get; init; } = "localhost";

    /// <summary>The URL apps are reached at, e.g. <c>http://{app}.localhost:8080/</c>.</summary>
    public string WebUrlTemplate { get; init; } = "http://{app}.localhost:8080/";
}
