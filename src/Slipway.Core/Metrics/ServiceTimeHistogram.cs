namespace Slipway.Core.Metrics;

/// <summary>Service times counted in fixed buckets: percentiles in constant memory, without keeping samples.</summary>
public sealed class ServiceTimeHistogram
{
    // Upper bounds in ms: exact up to 10 ms, then 20–30 % apart up to a minute, where one last bucket takes the rest.
    private static readonly int[] Bounds =
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 125, 150, 200, 250, 300, 400, 500, 600, 800,
        1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10000, 12500, 15000, 20000, 25000, 30000, 40000, 50000, 60000,
    ];

    private readonly int[] _counts = new int[Bounds.Length + 1];

    public int Count { get; private set; }

    public void Add(long milliseconds)
    {
        var index = Array.BinarySearch(Bounds, (int)Math.Clamp(milliseconds, 0, int.MaxValue));
        _counts[index < 0 ? ~index : index]++;
        Count++;
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
    }

    /// <summary>The bucket bound that <paramref name="quantile"/> of the samples do not exceed (60000 for anything longer); 0 when empty.</summary>
    public int Percentile(double quantile)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Bounds[Math.Min(i, Bounds.Length - 1)];
            }
        }

        return 0;
    }
}
