namespace Slipway.Core.Metrics;

/// <summary>A dyno's highest sampled memory in one minute, with its size's quota (the R14 line) at that time.</summary>
public sealed record DynoMemoryMinute(DateTimeOffset At, long MaxBytes, long QuotaBytes);
