namespace Slipway.Core.Metrics;

/// <summary>An app falling asleep or waking up; a wake says how long until a dyno was ready.</summary>
public sealed record DynoEvent(DateTimeOffset At, DynoEventKind Kind, int? ReadyMs);

public enum DynoEventKind
{
    Sleep,
    Wake,
}
