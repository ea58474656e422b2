namespace Slipway.Core.Metrics;

/// <summary>One minute of an app's router traffic: how many requests, their status classes, and service-time percentiles.</summary>
public sealed record RouterMinute(
    DateTimeOffset At, int Requests, int Status2xx, int Status3xx, int Status4xx, int Status5xx, int P50Ms, int P95Ms, int P99Ms);
