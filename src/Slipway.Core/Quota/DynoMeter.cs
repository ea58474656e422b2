namespace Slipway.Core.Quota;

/// <summary>
/// Meters metered dynos' running time to the second, per account, pool, app and calendar month. Pure: callers feed it
/// start/stop events and ask for usage at an instant; an interval crossing midnight at a month's end is split at it.
/// </summary>
public sealed class DynoMeter
{
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, QuotaPool Pool, string Month, string App), double> _closed = [];
    private readonly Dictionary<(string Account, QuotaPool Pool, string Month, string App), double> _unsaved = [];

    /// <summary>Starts charging <paramref name="dynoId"/> from <paramref name="at"/> (a no-op if it is already charged).</summary>
    public void Start(string dynoId, string accountId, string appId, QuotaPool pool, DateTimeOffset at)
    {
        if (pool != QuotaPool.None)
        {
            _running.TryAdd(dynoId, new Running(accountId, appId, pool, at));
        }
    }

    /// <summary>Stops charging <paramref name="dynoId"/> at <paramref name="at"/>.</summary>
    public void Stop(string dynoId, DateTimeOffset at)
    {
        if (_running.Remove(dynoId, out var running))
        {
            Charge(running, running.Since, at);
        }
    }

    /// <summary>Adds usage recorded elsewhere (restored from storage at start-up).</summary>
    public void Restore(string accountId, QuotaPool pool, string month, string appId, double seconds) =>
        _closed[(accountId, pool, month, appId)] = _closed.GetValueOrDefault((accountId, pool, month, appId)) + seconds;

    public IEnumerable<string> RunningDynos => _running.Keys;

    /// <summary>Accounts that have metered dynos running, with their pools.</summary>
    public IEnumerable<(string AccountId, QuotaPool Pool)> RunningAccounts => _running.Values.Select(r => (r.AccountId, r.Pool)).Distinct();

    /// <summary>
    /// Charges running dynos up to <paramref name="at"/> and returns everything charged since the previous checkpoint,
    /// for the caller to persist: what a crash can lose is bounded by the time between checkpoints.
    /// </summary>
    public IReadOnlyList<(string AccountId, QuotaPool Pool, string Month, string AppId, double Seconds)> Checkpoint(DateTimeOffset at)
    {
        foreach (var (dynoId, running) in _running.ToList())
        {
            if (at > running.Since)
            {
                Charge(running, running.Since, at);
                _running[dynoId] = running with { Since = at };
            }
        }

        var unsaved = _unsaved.Select(u => (u.Key.Account, u.Key.Pool, u.Key.Month, u.Key.App, u.Value)).ToList();
        _unsaved.Clear();
        return unsaved;
    }

    /// <summary>Seconds used by each of the account's apps in the month containing <paramref name="at"/>, running dynos included.</summary>
    public IReadOnlyDictionary<string, double> UsageByApp(string accountId, QuotaPool pool, DateTimeOffset at)
    {
        var month = QuotaMonth.Key(at);
        var usage = _closed.Where(c => c.Key.Account == accountId && c.Key.Pool == pool && c.Key.Month == month)
            .ToDictionary(c => c.Key.App, c => c.Value, StringComparer.Ordinal);
        var monthStart = QuotaMonth.StartOf(at);
        foreach (var running in _running.Values.Where(r => r.AccountId == accountId && r.Pool == pool))
        {
            var from = running.Since > monthStart ? running.Since : monthStart;
            if (at > from)
            {
                usage[running.AppId] = usage.GetValueOrDefault(running.AppId) + (at - from).TotalSeconds;
            }
        }

        return usage;
    }

    public double Used(string accountId, QuotaPool pool, DateTimeOffset at) => UsageByApp(accountId, pool, at).Values.Sum();

    /// <summary>The instant the account's pool runs out if its running dynos keep running, or null if nothing runs.</summary>
    public DateTimeOffset? ExhaustedAt(string accountId, QuotaPool pool, TimeSpan quota, DateTimeOffset now)
    {
        var running = _running.Values.Count(r => r.AccountId == accountId && r.Pool == pool);
        if (running == 0)
        {
            return null;
        }

        var remaining = quota.TotalSeconds - Used(accountId, pool, now);
        var at = now + TimeSpan.FromSeconds(Math.Max(0, remaining) / running);
        return at < QuotaMonth.EndOf(now) ? at : null;
    }

    private void Charge(Running running, DateTimeOffset from, DateTimeOffset to)
    {
        while (from < to)
        {
            var monthEnd = QuotaMonth.EndOf(from);
            var end = to < monthEnd ? to : monthEnd;
            var key = (running.AccountId, running.Pool, QuotaMonth.Key(from), running.AppId);
            _closed[key] = _closed.GetValueOrDefault(key) + (end - from).TotalSeconds;
            _unsaved[key] = _unsaved.GetValueOrDefault(key) + (end - from).TotalSeconds;
            from = end;
        }
    }

    private sealed record Running(string AccountId, string AppId, QuotaPool Pool, DateTimeOffset Since);
}
