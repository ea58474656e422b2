using Slipway.Core.Apps;
using Slipway.Core.Quota;
using Slipway.Data.Accounts;
using Slipway.Data.Quota;

namespace Slipway.Runtime.Quota;

/// <summary>
/// Meters free and eco dynos to the second against their owner's monthly pools, persists usage at each checkpoint,
/// sends the 80 % and 100 % notifications, and says which pools are exhausted.
/// </summary>
public sealed class QuotaService(QuotaRepository usage, AccountRepository accounts, TimeProvider time, QuotaOptions options)
{
    private readonly DynoMeter _meter = new();
    private readonly Lock _gate = new();
    private readonly HashSet<(string AccountId, QuotaPool Pool, string Month)> _exhausted = [];
    private readonly HashSet<(string AccountId, QuotaPool Pool)> _restored = [];
    private string _loadedMonth = "";

    public QuotaOptions Options => options;

    /// <summary>Restores this month's usage from storage (at start-up, and when a new month begins).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var month = QuotaMonth.Key(time.GetUtcNow());
        var saved = await usage.MonthAsync(month, cancellationToken);
        lock (_gate)
        {
            foreach (var u in saved)
            {
                _meter.Restore(u.AccountId, u.Pool, u.Month, u.AppId, u.Seconds);
                _restored.Add((u.AccountId, u.Pool)); // checked at the next checkpoint, so exhaustion survives a restart
            }

            _loadedMonth = month;
        }
    }

    public void Started(string dynoId, App app, string size)
    {
        lock (_gate)
        {
            _meter.Start(dynoId, app.OwnerId, app.Id, QuotaPools.PoolOf(size), time.GetUtcNow());
        }
    }

    public void Stopped(string dynoId)
    {
        lock (_gate)
        {
            _meter.Stop(dynoId, time.GetUtcNow());
        }
    }

    public bool IsExhausted(string accountId, QuotaPool pool)
    {
        lock (_gate)
        {
            return _exhausted.Contains((accountId, pool, QuotaMonth.Key(time.GetUtcNow())));
        }
    }

    public async Task<TimeSpan> QuotaOfAsync(string accountId, QuotaPool pool, CancellationToken cancellationToken = default)
    {
        var account = await accounts.FindByIdAsync(accountId, cancellationToken);
        return options.Pools.For(pool, account?.Verified ?? false);
    }

    public IReadOnlyDictionary<string, double> UsageByApp(string accountId, QuotaPool pool)
    {
        lock (_gate)
        {
            return _meter.UsageByApp(accountId, pool, time.GetUtcNow());
        }
    }

    /// <summary>
    /// Saves usage since the last checkpoint, records 80 %/100 % notifications once a month, and returns the pools that
    /// are now exhausted (their free apps must sleep until the month ends).
    /// </summary>
    public async Task<IReadOnlyList<QuotaNotice>> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<(string AccountId, QuotaPool Pool, string Month, string AppId, double Seconds)> unsaved;
        List<(string AccountId, QuotaPool Pool)> running;
        lock (_gate)
        {
            unsaved = _meter.Checkpoint(now);
            running = _meter.RunningAccounts.Concat(_restored).ToList();
            _restored.Clear();
        }

        await usage.AddUsageAsync(unsaved.Select(u => new MeteredUsage(u.AccountId, u.Pool, u.Month, u.AppId, u.Seconds)).ToList(), cancellationToken);
        if (QuotaMonth.Key(now) != _loadedMonth)
        {
            lock (_gate)
            {
                _exhausted.Clear(); // a new month: every pool is full again
                _loadedMonth = QuotaMonth.Key(now);
            }
        }

        var notices = new List<QuotaNotice>();
        foreach (var (accountId, pool) in running.Concat(unsaved.Select(u => (u.AccountId, u.Pool))).Distinct())
        {
            var quota = await QuotaOfAsync(accountId, pool, cancellationToken);
            double used;
            lock (_gate)
            {
                used = _meter.Used(accountId, pool, now);
            }

            var month = QuotaMonth.Key(now);
            foreach (var level in new[] { 80, 100 })
            {
                if (used < quota.TotalSeconds * level / 100)
                {
                    continue;
                }

                var message = level == 100
                    ? $"{pool} dyno hours quota exhausted: {QuotaProjection.Hours(used)} of {QuotaProjection.Hours(quota.TotalSeconds)} used. Free apps sleep until {QuotaMonth.EndOf(now):yyyy-MM-dd} 00:00 UTC."
                    : $"{pool} dyno hours quota at {level}%: {QuotaProjection.Hours(used)} of {QuotaProjection.Hours(quota.TotalSeconds)} used this month.";
                if (await usage.RecordEventAsync(accountId, pool, month, level, message, cancellationToken))
                {
                    notices.Add(new QuotaNotice(accountId, pool, level, message));
                }

                if (level == 100)
                {
                    bool added;
                    lock (_gate)
                    {
                        added = _exhausted.Add((accountId, pool, month));
                    }

                    if (added && !notices.Any(n => n.AccountId == accountId && n.Pool == pool && n.Level == 100))
                    {
                        notices.Add(new QuotaNotice(accountId, pool, 100, message)); // after a restart mid-exhaustion: sleep again, no new event
                    }
                }
            }
        }

        return notices;
    }

    /// <summary>
    /// After an account's pools change (verified mid-month): a pool that is no longer used up lets its apps wake again.
    /// The month's usage stays; only the limit it is measured against moves.
    /// </summary>
    public async Task ReconsiderAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        foreach (var pool in new[] { QuotaPool.Free, QuotaPool.Eco })
        {
            var quota = await QuotaOfAsync(accountId, pool, cancellationToken);
            lock (_gate)
            {
                if (_meter.Used(accountId, pool, now) < quota.TotalSeconds)
                {
                    _exhausted.Remove((accountId, pool, QuotaMonth.Key(now)));
                }
            }
        }
    }

    /// <summary>The wait until the running dynos of an account would exhaust its pool, for an exact-second check.</summary>
    public async Task<TimeSpan?> NextExhaustionAsync(CancellationToken cancellationToken = default)
    {
        List<(string AccountId, QuotaPool Pool)> running;
        lock (_gate)
        {
            running = _meter.RunningAccounts.ToList();
        }

        TimeSpan? soonest = null;
        var now = time.GetUtcNow();
        foreach (var (accountId, pool) in running)
        {
            var quota = await QuotaOfAsync(accountId, pool, cancellationToken);
            DateTimeOffset? at;
            lock (_gate)
            {
                at = _meter.ExhaustedAt(accountId, pool, quota, now);
            }

            if (at is { } when && (soonest is null || when - now < soonest))
            {
                soonest = when - now;
            }
        }

        return soonest;
    }
}

/// <summary>A pool crossed 80 % or 100 % this month.</summary>
public sealed record QuotaNotice(string AccountId, QuotaPool Pool, int Level, string Message);
