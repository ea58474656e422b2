namespace Slipway.Core.Metrics;

/// <summary>One dyno's memory per minute, in a ring of the last <see cref="Minutes"/> minutes reused as time passes.</summary>
internal sealed class DynoMemoryRing
{
    public const int Minutes = AppRouterMetrics.Minutes;

    private readonly (long Minute, long MaxBytes, long QuotaBytes)[] _ring = new (long, long, long)[Minutes];

    public DynoMemoryRing() => Array.Fill(_ring, (-1L, 0L, 0L));

    public void Record(long minute, long usedBytes, long quotaBytes)
    {
        lock (_ring)
        {
            ref var slot = ref _ring[minute % Minutes];
            slot = slot.Minute == minute ? (minute, Math.Max(slot.MaxBytes, usedBytes), quotaBytes) : (minute, usedBytes, quotaBytes);
        }
    }

    /// <summary>The sampled minutes among the last <see cref="Minutes"/> up to <paramref name="now"/>, oldest first.</summary>
    public List<DynoMemoryMinute> Read(long now)
    {
        var minutes = new List<DynoMemoryMinute>();
        lock (_ring)
        {
            for (var minute = now - Minutes + 1; minute <= now; minute++)
            {
                var slot = _ring[minute % Minutes];
                if (slot.Minute == minute)
                {
                    minutes.Add(new DynoMemoryMinute(DateTimeOffset.FromUnixTimeSeconds(minute * 60), slot.MaxBytes, slot.QuotaBytes));
                }
            }
        }

        return minutes;
    }
}
