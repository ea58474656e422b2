using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Slipway.Core.Apps;
using Slipway.Core.Dynos;
using Slipway.Core.Logs;
using Slipway.Core.Quota;
using Slipway.Core.Releases;

namespace Slipway.Runtime.Dynos;

/// <summary>Free dynos: sleeping after the idle timeout, waking on the next request, and the monthly dyno-hour pools.</summary>
public sealed partial class DynoManager
{
    // Made with the manager: the router touches it from many threads at once, and a lazy one could be made twice.
    private readonly IdleTracker _idle = new(quota.Options.IdleAfter);

    /// <summary>The router saw a request for the app: it stays awake another idle period.</summary>
    public void Touch(string appId) => _idle.Touch(appId, time.GetUtcNow());

    /// <summary>True when an external pinger seems to keep the app awake around the clock.</summary>
    public bool LooksPinged(string appId) => _idle.LooksPinged(appId);

    /// <summary>
    /// Wakes a sleeping app (the router calls this on a request) and returns once the wake is under way; concurrent callers
    /// share one wake. Returns false when the owner's pool is exhausted.
    /// </summary>
    public async Task<bool> WakeAsync(string appId)
    {
        Task wake;
        lock (_gate)
        {
            if (!_apps.TryGetValue(appId, out var state) || !state.Sleeping)
            {
                return true;
            }

            if (state.WebPool != QuotaPool.None && quota.IsExhausted(state.OwnerId, state.WebPool))
            {
                return false;
            }

            if (state.WakeTask is null)
            {
                state.WakeStartedTimestamp = Stopwatch.GetTimestamp();
                state.WakeTask = UnidleAsync(state);
            }

            wake = state.WakeTask;
        }

        await wake;
        return true;
    }

    private async Task UnidleAsync(AppState state)
    {
        await Task.Yield();
        foreach (var dyno in state.IdleDynos)
        {
            log.Write(state.AppId, LogSources.Heroku, dyno.Name, "Unidling");
        }

        _idle.Touch(state.AppId, time.GetUtcNow());

        // Start the dyno while the flag is written: reconciles see a wake in progress as awake (WakePending).
        Reconcile(state.AppId);

        // The gate orders this write after a concurrent sleep's, so the stored flag ends as the last decision.
        await state.SleepGate.WaitAsync();
        try
        {
            await apps.SetSleepingAsync(state.AppId, false);
            lock (_gate)
            {
                state.Sleeping = false;
                state.WakeTask = null;
            }
        }
        finally
        {
            state.SleepGate.Release();
        }

        Reconcile(state.AppId);
    }

    /// <summary>Puts an app's free dynos to sleep: <c>Idling</c>, then a graceful stop; <c>ps</c> shows them <c>idle</c>.</summary>
    private async Task SleepAsync(string appId)
    {
        AppState? state;
        lock (_gate)
        {
            if (!_apps.TryGetValue(appId, out state) || state.Sleeping || state.WakeTask is not null)
            {
                return;
            }
        }

        await state.SleepGate.WaitAsync();
        try
        {
            await SleepWithinGateAsync(state);
        }
        finally
        {
            state.SleepGate.Release();
        }

        Reconcile(appId);
    }

    private async Task SleepWithinGateAsync(AppState state)
    {
        var appId = state.AppId;
        List<DynoInstance> sleeping;
        lock (_gate)
        {
            // Decided before the gate: a request may have arrived (or woken the app) since.
            var now = time.GetUtcNow();
            if (state.Sleeping || state.WakeTask is not null || state.AwakeSince is not { } since || now < _idle.SleepsAt(appId, since) || traffic.IsBusy(appId))
            {
                return;
            }

            sleeping = DynosOf(appId).Where(d => !d.Retiring && !d.IsOneOff && d.Size.Sleeps).ToList();
            state.IdleDynos = sleeping.Select(d => d.ToRecord() with { State = DynoState.Idle, UpdatedAt = now }).ToList();
            state.Sleeping = true;
            state.AwakeSince = null;
        }

        foreach (var dyno in sleeping)
        {
            log.Write(appId, LogSources.Heroku, dyno.Name, "Idling");
        }

        metrics.RecordSleep(appId);

        await apps.SetSleepingAsync(appId, true);
    }

    /// <summary>A wake has begun but its flag may not be written yet: the app counts as awake.</summary>
    private bool WakePending(string appId)
    {
        lock (_gate)
        {
            return _apps.TryGetValue(appId, out var state) && state.WakeTask is not null;
        }
    }

    /// <summary>Whether a formation entry should run now: not while its app sleeps, not once its pool is exhausted.</summary>
    private bool Runs(App app, FormationEntry entry, bool sleepable)
    {
        var pool = QuotaPools.PoolOf(entry.Size);
        if (pool != QuotaPool.None && quota.IsExhausted(app.OwnerId, pool))
        {
            return false;
        }

        return !(app.Sleeping && sleepable && DynoSize.Find(entry.Size)?.Sleeps == true);
    }

    /// <summary>The idle check and the quota checkpoints, on the manager's clock.</summary>
    private async Task RunTimersAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, quota.Options.IdleAfter.Ticks / 20));
        var nextCheckpoint = time.GetUtcNow() + quota.Options.CheckpointInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, time, cancellationToken);
                var now = time.GetUtcNow();
                List<string> idle;
                lock (_gate)
                {
                    idle = _apps.Values
                        .Where(a => a.Sleepable && !a.Sleeping && a.AwakeSince is { } since && now >= _idle.SleepsAt(a.AppId, since) && !traffic.IsBusy(a.AppId)
                            && DynosOf(a.AppId).Any(d => d.IsWeb && d.State == DynoState.Up)
                            && !DynosOf(a.AppId).Any(d => d.IsWeb && !d.Retiring && d.State == DynoState.Starting))
                        .Select(a => a.AppId).ToList();
                }

                foreach (var appId in idle)
                {
                    await SleepAsync(appId);
                }

                var exhaustion = await quota.NextExhaustionAsync(cancellationToken);
                if (now >= nextCheckpoint || exhaustion <= TimeSpan.Zero)
                {
                    nextCheckpoint = now + quota.Options.CheckpointInterval;
                    foreach (var notice in await quota.CheckpointAsync(cancellationToken))
                    {
                        Notify(notice);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Idle and quota checks failed");
            }
        }
    }

    /// <summary>80 % and 100 % notices go to every app of the account; at 100 % its metered dynos stop until the month ends.</summary>
    private void Notify(Runtime.Quota.QuotaNotice notice)
    {
        List<string> affected;
        lock (_gate)
        {
            affected = _apps.Values.Where(a => a.OwnerId == notice.AccountId).Select(a => a.AppId).ToList();
        }

        foreach (var appId in affected)
        {
            log.Write(appId, LogSources.App, LogSources.ApiProcess, notice.Message);
            if (notice.Level >= 100)
            {
                Reconcile(appId);
            }
        }
    }

    /// <summary>Going beyond Heroku: each wake says what it cost and whose time it was.</summary>
    private void ReportWake(DynoInstance dyno)
    {
        long started;
        lock (_gate)
        {
            if (!_apps.TryGetValue(dyno.AppId, out var state) || state.WakeStartedTimestamp == 0)
            {
                return;
            }

            started = state.WakeStartedTimestamp;
            state.WakeStartedTimestamp = 0;
        }

        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var app = dyno.StartedTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(dyno.StartedTimestamp).TotalMilliseconds;
        log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, $"Unidling: ready in {total:0}ms (platform {total - app:0}ms, app {app:0}ms)");
        metrics.RecordWake(dyno.AppId, TimeSpan.FromMilliseconds(total));
    }

    private sealed partial class AppState
    {
        public string OwnerId { get; set; } = "";

        /// <summary>Its web dynos are of a size that sleeps (free, eco).</summary>
        public bool Sleepable { get; set; }

        public bool Sleeping { get; set; }

        public QuotaPool WebPool { get; set; }

        /// <summary>Since when it has been awake, for the idle timeout; null while asleep.</summary>
        public DateTimeOffset? AwakeSince { get; set; }

        /// <summary>What <c>ps</c> shows while it sleeps.</summary>
        public List<DynoRecord> IdleDynos { get; set; } = [];

        public long WakeStartedTimestamp { get; set; }

        public Task? WakeTask { get; set; }

        /// <summary>Orders the writes of the sleeping flag: a sleep and a wake racing must store the later decision.</summary>
        public SemaphoreSlim SleepGate { get; } = new(1, 1);
    }
}
