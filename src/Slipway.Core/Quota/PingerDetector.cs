namespace Slipway.Core.Quota;

/// <summary>
/// Spots an external uptime pinger: requests arriving at a steady interval just under the idle timeout, which keep a free
/// app awake around the clock. It looks only at the gaps between an app's requests, so normal traffic in between hides
/// nothing: a pinger shows as the longest gaps never reaching the idle timeout.
/// </summary>
public static class PingerDetector
{
    /// <summary>How many consecutive near-timeout gaps make a pattern.</summary>
    public const int MinimumGaps = 6;

    /// <summary>
    /// True when, over the last day, the app never went idle and its quiet gaps cluster just under <paramref name="idleAfter"/>
    /// (between half of it and it), with little spread — the signature of a scheduled pinger.
    /// </summary>
    public static bool LooksPinged(IReadOnlyList<DateTimeOffset> requests, TimeSpan idleAfter)
    {
        if (requests.Count < MinimumGaps + 1)
        {
            return false;
        }

        var gaps = requests.Zip(requests.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        if (gaps.Any(g => g >= idleAfter.TotalSeconds))
        {
            return false; // it did sleep at least once
        }

        var quiet = gaps.Where(g => g >= idleAfter.TotalSeconds / 2).ToList();
        if (quiet.Count < MinimumGaps)
        {
            return false;
        }

        var mean = quiet.Average();
        var spread = Math.Sqrt(quiet.Average(g => (g - mean) * (g - mean)));
        return spread <= mean * 0.1;
    }
}
