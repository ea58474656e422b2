namespace Slipway.Runtime.Logs;

/// <summary>
/// Log settings, bound from the <c>Slipway</c> section (env <c>SLIPWAY_LOG_HISTORY_LINES</c>, appsettings <c>Slipway:LogHistoryLines</c>).
/// Heroku keeps 1500 lines; we keep more, on disk.
/// </summary>
public sealed record LogOptions
{
    /// <summary>Lines of persistent history per app (survives restarts).</summary>
    public int LogHistoryLines { get; init; } = 10_000;

    /// <summary>Lines per app kept in memory for fast backlogs.</summary>
    public int LogRingLines { get; init; } = 1500;

    /// <summary>Lines waiting for the history writer before new ones are dropped (counted).</summary>
    public int LogHistoryQueueLines { get; init; } = 200_000;

    /// <summary>Lines a live tail may fall behind before it drops (L11).</summary>
    public int LogTailBufferLines { get; init; } = 10_000;

    /// <summary>Lines a drain may fall behind before it drops (L10).</summary>
    public int LogDrainBufferLines { get; init; } = 10_000;

    /// <summary>Seconds between <c>: keep-alive</c> comments on an idle tail.</summary>
    public double LogKeepAliveSeconds { get; init; } = 10;

    /// <summary>How long a <c>logplex_url</c> may be opened (and reopened by a reconnecting tail).</summary>
    public double LogSessionMinutes { get; init; } = 60;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(LogHistoryLines), LogHistoryLines), (nameof(LogRingLines), LogRingLines), (nameof(LogHistoryQueueLines), LogHistoryQueueLines),
                     (nameof(LogTailBufferLines), LogTailBufferLines), (nameof(LogDrainBufferLines), LogDrainBufferLines),
                 })
        {
            if (value < 1)
            {
                yield return $"Slipway:{name} must be at least 1, not {value}.";
            }
        }

        if (LogKeepAliveSeconds <= 0 || LogSessionMinutes <= 0)
        {
            yield return "Slipway:LogKeepAliveSeconds and Slipway:LogSessionMinutes must be positive.";
        }
    }
}
