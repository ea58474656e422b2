using System.Collections.Concurrent;

namespace Slipway.Api.Auth;

/// <summary>
/// Heroku's per-account request budget: a bucket of at most 4500 tokens refilled at 75 a minute, one token per call;
/// an empty bucket answers 429 <c>rate_limit</c>.
/// </summary>
public sealed class RateLimiter(TimeProvider time)
{
    public const int Capacity = 4500;
    public const double RefillPerSecond = 75.0 / 60.0;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one token; returns the tokens left, or -1 when the bucket was empty.</summary>
    public int Take(string accountId)
    {
        var bucket = _buckets.GetOrAdd(accountId, _ => new Bucket(Capacity, time.GetUtcNow()));
        lock (bucket)
        {
            Refill(bucket);
            if (bucket.Tokens < 1)
            {
                return -1;
            }

            bucket.Tokens -= 1;
            return (int)bucket.Tokens;
        }
    }

    /// <summary>The tokens left without taking one (<c>GET /account/rate-limits</c> is free).</summary>
    public int Remaining(string accountId)
    {
        var bucket = _buckets.GetOrAdd(accountId, _ => new Bucket(Capacity, time.GetUtcNow()));
        lock (bucket)
        {
            Refill(bucket);
            return (int)bucket.Tokens;
        }
    }

    private void Refill(Bucket bucket)
    {
        var now = time.GetUtcNow();
        bucket.Tokens = Math.Min(Capacity, bucket.Tokens + ((now - bucket.At).TotalSeconds * RefillPerSecond));
        bucket.At = now;
    }

    private sealed class Bucket(double tokens, DateTimeOffset at)
    {
        public double Tokens { get; set; } = tokens;

        public DateTimeOffset At { get; set; } = at;
    }
}
