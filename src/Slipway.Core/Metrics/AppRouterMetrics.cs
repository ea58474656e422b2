namespace Slipway.Core.Metrics;

/// <summary>One app's router traffic per minute, in a ring of the last <see cref="Minutes"/> minutes reused as time passes.</summary>
public sealed class AppRouterMetrics
{
    public const int Minutes = 6 * 60;

    private readonly MinuteSlot?[] _ring = new MinuteSlot?[Minutes];

    /// <summary>Counts one request in <paramref name="minute"/> (minutes since the Unix epoch).</summary>
    public void Record(long minute, int status, long serviceMilliseconds)
    {
        lock (_ring)
        {
            var slot = _ring[minute % Minutes] ??= new MinuteSlot();
            if (slot.Minute != minute)
            {
                slot.Reset(minute);
            }

            slot.Add(status, serviceMilliseconds);
        }
    }

    /// <summary>The minutes with traffic among the last <see cref="Minutes"/> up to <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<RouterMinute> Read(long now)
    {
        var minutes = new List<RouterMinute>();
        lock (_ring)
        {
            for (var minute = now - Minutes + 1; minute <= now; minute++)
            {
                if (_ring[minute % Minutes] is { Requests: > 0 } slot && slot.Minute == minute)
                {
                    minutes.Add(slot.Summary());
                }
            }
        }

        return minutes;
    }

    private sealed class MinuteSlot
    {
        private readonly int[] _classes = new int[4];
        private readonly ServiceTimeHistogram _times = new();

        public long Minute { get; private set; } = -1;

        public int Requests { get; private set; }

        public void Reset(long minute)
        {
            Minute = minute;
            Requests = 0;
            Array.Clear(_classes);
            _times.Clear();
        }

        public void Add(int status, long serviceMilliseconds)
        {
            Requests++;
            if (status is >= 200 and < 600)
            {
                _classes[(status / 100) - 2]++;
            }

            _times.Add(serviceMilliseconds);
        }

        public RouterMinute Summary() => new(DateTimeOffset.FromUnixTimeSeconds(Minute * 60), Requests, _classes[0], _classes[1], _classes[2], _classes[3],
            _times.Percentile(0.50), _times.Percentile(0.95), _times.Percentile(0.99));
    }
}
