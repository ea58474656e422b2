using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Core.Apps;
using Slipway.Core.Dynos;
using Slipway.Core.Logs;
using Slipway.Core.Releases;
using Slipway.Data.Apps;
using Slipway.Data.Builds;
using Slipway.Data.Dynos;
using Slipway.Data.Releases;

namespace Slipway.Runtime.Dynos;

/// <summary>
/// The reconciler: converges each app's running dynos to its desired state (current release × formation). Every change
/// (deploy, scale, config, restart, crash) only signals it; it alone starts and stops dynos.
/// </summary>
public sealed partial class DynoManager(
    AppRepository apps,
    ReleaseRepository releases,
    BuildRepository builds,
    DynoRepository dynoRecords,
    IDynoBackend backend,
    ISlugStore slugs,
    IAppLog log,
    TimeProvider time,
    RuntimeOptions options,
    Quota.QuotaService quota,
    IDynoTraffic traffic,
    Core.Metrics.DynoMetrics metrics,
    ILogger<DynoManager> logger) : BackgroundService
{
    private const int StartConcurrency = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<DynoInstance>> _dynos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _appIdsByName = new(StringComparer.Ordinal);
    private readonly Channel<string> _signals = Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private readonly PortAllocator _ports = new(options.FirstDynoPort, options.LastDynoPort);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OneOffDyno> _oneOffs = new(StringComparer.Ordinal);
    private readonly DynoRecordWriter _records = new(dynoRecords, logger);

    // Stops under way (scale-down, restart, sleep): shutdown waits for them too, or their mounts outlive slipwayd.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _retirements = new(StringComparer.Ordinal);

    /// <summary>Completes once leftovers of a previous run are reaped and every app has been reconciled once.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Raised once a deleted app's dynos have all stopped, so that its logs and drains can go too.</summary>
    public event Action<string>? AppDeleted;

    /// <summary>Asks for <paramref name="appId"/> to be reconciled soon.</summary>
    public void Reconcile(string appId) => _signals.Writer.TryWrite(appId);

    /// <summary>
    /// The app is called <paramref name="name"/> from now (just created or renamed): the router answers for that name at once,
    /// not after the reconcile this queues, which may wait behind other apps' dyno starts.
    /// </summary>
    public void Named(string appId, string name)
    {
        lock (_gate)
        {
            NameApp(appId, name);
        }

        Reconcile(appId);
    }

    /// <summary>
    /// Routes the app with maintenance on or off from now: the API's answer must hold for the next request, and a reconcile
    /// may wait behind another app's dyno starts (the next reconcile reads the same flag from the store).
    /// </summary>
    public void SetMaintenance(string appId, bool maintenance)
    {
        lock (_gate)
        {
            if (_apps.TryGetValue(appId, out var state))
            {
                state.Maintenance = maintenance;
            }
        }
    }

    /// <summary>The app's dynos as they are now, for the API.</summary>
    public IReadOnlyList<DynoRecord> List(string appId)
    {
        lock (_gate)
        {
            var running = _dynos.TryGetValue(appId, out var list) ? list.Where(d => !d.Retiring).Select(d => d.ToRecord()).ToList() : [];
            var idle = _apps.TryGetValue(appId, out var state) && state.Sleeping ? state.IdleDynos : [];
            return running.Concat(idle.Where(i => !running.Any(r => r.Name == i.Name)))
                .OrderBy(d => d.Type, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Routing facts for an app by name, or null when no such app exists.</summary>
    public AppRoute? FindRoute(string appName)
    {
        lock (_gate)
        {
            // One lookup, also for a host no app has: the name index is kept exact by NameApp and ForgetAppAsync.
            return _appIdsByName.TryGetValue(appName, out var appId) && _apps.TryGetValue(appId, out var state) && state.Name == appName
                ? RouteOf(state)
                : null;
        }
    }

    /// <summary>Under <see cref="_gate"/>: the app's state, made if new, known by <paramref name="name"/> from now in the name index.</summary>
    private AppState NameApp(string appId, string name)
    {
        if (!_apps.TryGetValue(appId, out var state))
        {
            state = new AppState(appId, name);
            _apps[appId] = state;
        }
        else if (state.Name != name)
        {
            if (_appIdsByName.TryGetValue(state.Name, out var holder) && holder == appId)
            {
                _appIdsByName.Remove(state.Name);
            }

            state.Name = name;
        }

        _appIdsByName[name] = appId;
        return state;
    }

    /// <summary>Routing facts for an app by id (a custom domain names its app by id), or null when no such app exists.</summary>
    public AppRoute? FindRouteById(string appId)
    {
        lock (_gate)
        {
            return _apps.TryGetValue(appId, out var state) ? RouteOf(state) : null;
        }
    }

    // Once per router request, under the manager's lock: one pass, no LINQ, endpoints made once per dyno.
    private AppRoute RouteOf(AppState state)
    {
        List<DynoEndpoint> up = [];
        int web = 0, crashed = 0;
        var starting = false;
        if (_dynos.TryGetValue(state.AppId, out var list))
        {
            foreach (var dyno in list)
            {
                if (!dyno.IsWeb || dyno.Retiring)
                {
                    continue;
                }

                web++;
                switch (dyno.State)
                {
                    case DynoState.Up:
                        up.Add(dyno.Endpoint);
                        break;
                    case DynoState.Starting:
                        starting = true;
                        break;
                    case DynoState.Crashed:
                        crashed++;
                        break;
                }
            }
        }

        return new AppRoute(state.AppId, state.Name, state.Maintenance, up, state.DesiredWeb, starting, web > 0 && crashed == web)
        {
            Sleeping = state.Sleeping && state.Sleepable,
            Blank = state.Blank,
            ErrorPageUrl = state.ErrorPageUrl,
            MaintenancePageUrl = state.MaintenancePageUrl,
            QuotaExhausted = state.WebPool != Core.Quota.QuotaPool.None && quota.IsExhausted(state.OwnerId, state.WebPool),
        };
    }

    /// <summary>Waits until the app has an up web dyno (true), or the timeout passes or its web dynos all crash (false).</summary>
    public async Task<bool> WaitForWebDynoAsync(string appId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (!_apps.TryGetValue(appId, out var state))
                {
                    return false;
                }

                var web = _dynos.TryGetValue(appId, out var list) ? list.Where(d => d.IsWeb && !d.Retiring).ToList() : [];
                if (web.Any(d => d.State == DynoState.Up))
                {
                    return true;
                }

                // Every web dyno crashed and none is booting: holding the request longer only turns H10 into H20.
                if (web.Count > 0 && web.All(d => d.State == DynoState.Crashed))
                {
                    return false;
                }

                changed = state.WebChanged.Task;
            }

            try
            {
                await changed.WaitAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    /// <summary><c>ps:restart</c>: restarts all dynos, those of one type, or one dyno by name; resets crash backoff.</summary>
    public int Restart(string appId, string? typeOrName)
    {
        var count = 0;
        lock (_gate)
        {
            if (_dynos.TryGetValue(appId, out var list))
            {
                foreach (var dyno in list.Where(d => !d.Retiring && (typeOrName is null || d.Type == typeOrName || d.Name == typeOrName)).ToList())
                {
                    count++;
                    if (dyno.IsOneOff)
                    {
                        // One-off dynos are never restarted: asking for it by name stops it.
                        if (dyno.Name == typeOrName)
                        {
                            dyno.Retiring = true;
                            _ = RetireAsync(dyno, options.StopGracePeriod, logStateChange: true);
                        }

                        continue;
                    }

                    dyno.RestartRequested = true;
                }
            }

            if (_apps.TryGetValue(appId, out var state))
            {
                state.Crashes.Clear();
            }
        }

        Reconcile(appId);
        return count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Dynos of a previous run (after kill -9) are stopped and started afresh: no orphans, no duplicates.
            await backend.ReapLeftoversAsync(new HashSet<string>(), stoppingToken);
            var stale = await dynoRecords.ListAsync(null, stoppingToken);
            await dynoRecords.ApplyAsync([.. stale.Select(d => DynoRecordChange.Delete(d.Id))], stoppingToken);

            // Usage first: an account whose pool ran out before the restart must not get its free dynos back.
            await quota.LoadAsync(stoppingToken);
            await quota.CheckpointAsync(stoppingToken);
            foreach (var app in await apps.ListAsync(null, stoppingToken))
            {
                await ReconcileAppAsync(app.Id, stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogCritical(e, "Dyno manager failed to start");
            _ready.TrySetException(e);
            throw;
        }

        _ready.TrySetResult();
        _ = RunTimersAsync(stoppingToken);
        await foreach (var appId in _signals.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await ReconcileAppAsync(appId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Reconciling app {AppId} failed", appId);
                log.Write(appId, LogSources.Heroku, "slipway", $"Error H99 (Platform error) -> could not converge dynos: {e.Message}");
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        List<DynoInstance> all;
        lock (_gate)
        {
            all = _dynos.Values.SelectMany(l => l).Where(d => !d.Retiring).ToList();
        }

        var grace = options.StopGracePeriod < TimeSpan.FromSeconds(10) ? options.StopGracePeriod : TimeSpan.FromSeconds(10);
        var underWay = _retirements.Values.ToList();
        await Task.WhenAll(all.Select(d => RetireAsync(d, grace, logStateChange: true)).Concat(underWay));
        await _records.CompleteAsync();
    }

    private async Task ReconcileAppAsync(string appId, CancellationToken cancellationToken)
    {
        var app = await apps.FindAsync(appId, cancellationToken);
        if (app is null)
        {
            await ForgetAppAsync(appId);
            return;
        }

        if (app.Sleeping && WakePending(appId))
        {
            app = app with { Sleeping = false };
        }

        var release = await releases.CurrentAsync(appId, cancellationToken);
        var formation = await releases.GetFormationAsync(appId, cancellationToken);
        var slug = release?.SlugId is { } slugId ? await builds.FindSlugAsync(slugId, cancellationToken) : null;
        var webEntry = formation.FirstOrDefault(f => f.Type == "web" && f.Quantity > 0);
        var sleepable = webEntry is not null && DynoSize.Find(webEntry.Size)?.Sleeps == true;
        var desired = slug is null || release is null
            ? []
            : formation.Where(f => f.Quantity > 0 && Runs(app, f, sleepable))
                .SelectMany(f => Enumerable.Range(1, f.Quantity).Select(i => (Name: $"{f.Type}.{i}", Entry: f)))
                .ToList();

        var toStart = new List<(string Name, FormationEntry Entry, DynoInstance? Replaces)>();
        var toRetire = new List<DynoInstance>();
        TimeSpan? retryIn = null;
        lock (_gate)
        {
            var state = NameApp(appId, app.Name);
            if (release is not null && state.ReleaseId != release.Id)
            {
                state.Crashes.Clear(); // a new release starts every dyno's crash series afresh
                state.ReleaseId = release.Id;
            }

            state.Blank = release?.SlugId is null;
            state.Maintenance = app.Maintenance;
            state.ErrorPageUrl = release?.Config.GetValueOrDefault("ERROR_PAGE_URL");
            state.MaintenancePageUrl = release?.Config.GetValueOrDefault("MAINTENANCE_PAGE_URL");
            state.OwnerId = app.OwnerId;
            state.Sleeping = app.Sleeping;
            if (sleepable && !state.Sleepable)
            {
                state.AwakeSince = time.GetUtcNow(); // the idle timeout counts from when the app became free, not from its last deploy
            }

            state.Sleepable = sleepable;
            state.WebPool = webEntry is null ? Core.Quota.QuotaPool.None : Core.Quota.QuotaPools.PoolOf(webEntry.Size);
            state.DesiredWeb = webEntry?.Quantity ?? 0;
            if (!(app.Sleeping && sleepable))
            {
                state.IdleDynos.Clear();
                state.AwakeSince ??= time.GetUtcNow();
            }
            var list = DynosOf(appId);
            var now = time.GetUtcNow();
            foreach (var (name, entry) in desired)
            {
                var current = list.FirstOrDefault(d => d.Name == name && !d.Retiring && !d.IsOneOff && d.Replaces is null)
                    ?? list.FirstOrDefault(d => d.Name == name && !d.Retiring && !d.IsOneOff);
                var matches = current is not null && current.ReleaseId == release!.Id && current.Command == entry.Command && current.Size.Name == entry.Size;
                if (matches && !current!.RestartRequested && current.State != DynoState.Crashed)
                {
                    continue;
                }

                if (matches && current!.State == DynoState.Crashed && !current.RestartRequested)
                {
                    var due = state.CrashedAt(name) + CrashBackoff.Delay(state.Crashes.GetValueOrDefault(name), options.MaxCrashBackoff);
                    if (due > now)
                    {
                        var wait = due - now;
                        retryIn = retryIn is null || wait < retryIn ? wait : retryIn;
                        continue;
                    }
                }

                if (current is not null && list.Any(d => d.Replaces == current))
                {
                    continue; // its replacement is already booting
                }

                toStart.Add((name, entry, current));
            }

            var desiredNames = desired.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            toRetire.AddRange(list.Where(d => !d.Retiring && !d.IsOneOff && !desiredNames.Contains(d.Name)));
            foreach (var dyno in toRetire)
            {
                dyno.Retiring = true;
            }
        }

        foreach (var dyno in toRetire)
        {
            _ = RetireAsync(dyno, options.StopGracePeriod, logStateChange: true);
        }

        // A few boots at a time: each one waits on mounts, cgroup files and an exec, which overlap well; the forks stay
        // on the launcher thread. Scaling to 200 must not hold up every other app's reconcile for 200 boots in a row.
        await Parallel.ForEachAsync(toStart, new ParallelOptions { MaxDegreeOfParallelism = StartConcurrency, CancellationToken = cancellationToken },
            async (start, token) => await StartDynoAsync(app, release!, slug!, start.Name, start.Entry, start.Replaces, token));

        if (retryIn is { } delay)
        {
            _ = SignalLaterAsync(appId, delay, cancellationToken);
        }
    }

    private async Task StartDynoAsync(App app, Release release, Slug slug, string name, FormationEntry entry, DynoInstance? replaces, CancellationToken cancellationToken)
    {
        var size = DynoSize.Find(entry.Size) ?? DynoSize.Default;
        var now = time.GetUtcNow();
        var dyno = new DynoInstance
        {
            Id = Guid.NewGuid().ToString(), AppId = app.Id, Name = name, Type = entry.Type, Command = entry.Command, Size = size,
            ReleaseId = release.Id, ReleaseVersion = release.Version, Port = _ports.Allocate(), CreatedAt = now, UpdatedAt = now,
            ListenerUid = backend.RunsAsHostUid ? HostUid(app) : null,
        };

        string previousState;
        lock (_gate)
        {
            if (replaces is not null && replaces.State == DynoState.Crashed)
            {
                // A crashed dyno holds no process: it is simply superseded.
                DynosOf(app.Id).Remove(replaces);
                previousState = "crashed";
                replaces = null;
            }
            else
            {
                previousState = replaces is null ? "down" : "up";
                if (replaces is not null && replaces.RestartRequested && !replaces.Cycling)
                {
                    log.Write(app.Id, LogSources.Heroku, name, "Restarting");
                }
            }

            dyno.Replaces = replaces;
            DynosOf(app.Id).Add(dyno);
        }

        log.Write(app.Id, LogSources.Heroku, name, $"State changed from {previousState} to starting");
        log.Write(app.Id, LogSources.Heroku, name, $"Starting process with command `{entry.Command}`");
        try
        {
            await StartProcessAsync(app, release, slug, dyno, new Dictionary<string, string>(), attach: false,
                line => log.Write(app.Id, LogSources.App, name, line), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Starting {Dyno} of {App} failed", name, app.Name);
            log.Write(app.Id, LogSources.Heroku, name, $"Error H99 (Platform error) -> the dyno could not be started: {e.Message}");
            await OnExitedAsync(dyno, exitStatus: null);
            return;
        }

        _records.Upsert(dyno.ToRecord());
        _ = MonitorAsync(dyno);
    }

    /// <summary>
    /// Starts a one-off dyno (<c>run.N</c>, or <c>release.N</c> for the release phase) from <paramref name="release"/>'s slug and
    /// config. It is never restarted; it ends <c>complete</c> with its command's exit status.
    /// </summary>
    public async Task<OneOffDyno> RunAsync(App app, Release release, Slug slug, OneOffRequest request, CancellationToken cancellationToken = default)
    {
        var size = DynoSize.Find(request.Size) ?? DynoSize.Default;
        var now = time.GetUtcNow();
        DynoInstance dyno;
        lock (_gate)
        {
            var taken = DynosOf(app.Id).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            string name;
            do
            {
                name = $"{request.Type}.{Random.Shared.Next(1000, 10000)}";
            }
            while (taken.Contains(name));

            dyno = new DynoInstance
            {
                Id = Guid.NewGuid().ToString(), AppId = app.Id, Name = name, Type = request.Type, Command = request.Command, Size = size,
                ReleaseId = release.Id, ReleaseVersion = release.Version, Port = _ports.Allocate(), CreatedAt = now, UpdatedAt = now, IsOneOff = true,
            };
            DynosOf(app.Id).Add(dyno);
            if (!_apps.ContainsKey(app.Id))
            {
                NameApp(app.Id, app.Name);
            }
        }

        var oneOff = new OneOffDyno(dyno.Id, dyno.Name, request.Attach);
        _oneOffs[dyno.Id] = oneOff;
        var by = request.User is null ? "" : $" by user {request.User}";
        log.Write(app.Id, LogSources.Heroku, dyno.Name, $"Starting process with command `{request.Command}`{by}");
        try
        {
            await StartProcessAsync(app, release, slug, dyno, request.Environment, request.Attach, line =>
            {
                // Attached output goes to the caller only, as with `heroku run`; detached output goes to the log.
                if (!oneOff.Offer(line))
                {
                    log.Write(app.Id, LogSources.App, dyno.Name, line);
                }

                request.OnOutputLine?.Invoke(line);
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Starting one-off {Dyno} of {App} failed", dyno.Name, app.Name);
            lock (_gate)
            {
                DynosOf(app.Id).Remove(dyno);
            }

            _oneOffs.TryRemove(dyno.Id, out _);
            _ports.Release(dyno.Port);
            throw;
        }

        oneOff.Input = dyno.Process!.StandardInput;
        await ChangeStateAsync(dyno, DynoState.Up);
        _ = CompleteOneOffAsync(dyno, oneOff);
        return oneOff;
    }

    /// <summary>Boots <paramref name="dyno"/>'s process from the slug, with the release's environment, and starts metering it.</summary>
    private async Task StartProcessAsync(App app, Release release, Slug slug, DynoInstance dyno, IReadOnlyDictionary<string, string> extraEnvironment,
        bool attach, Action<string> onOutputLine, CancellationToken cancellationToken)
    {
        var environment = Environment(app, release, slug, dyno);
        foreach (var (key, value) in extraEnvironment)
        {
            environment[key] = value;
        }

        dyno.Process = await backend.StartAsync(new DynoSpec
        {
            DynoId = dyno.Id, AppId = app.Id, AppName = app.Name, Name = dyno.Name, Command = dyno.Command, Environment = environment,
            SlugDirectory = await slugs.GetSlugDirectoryAsync(slug.Id, HostUid(app), cancellationToken),
            HostUid = HostUid(app), Size = dyno.Size, RedirectStandardInput = attach, OnOutputLine = onOutputLine,
        }, cancellationToken);
        dyno.StartedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        quota.Started(dyno.Id, app, dyno.Size.Name);
    }

    /// <summary>Stops a one-off dyno (a release phase past its time limit, a caller that went away).</summary>
    public Task StopOneOffAsync(string appId, string dynoId)
    {
        DynoInstance? dyno;
        lock (_gate)
        {
            dyno = DynosOf(appId).FirstOrDefault(d => d.Id == dynoId && d.IsOneOff && !d.Retiring);
            if (dyno is not null)
            {
                dyno.Retiring = true;
            }
        }

        return dyno is null ? Task.CompletedTask : RetireAsync(dyno, options.StopGracePeriod, logStateChange: true);
    }

    private async Task CompleteOneOffAsync(DynoInstance dyno, OneOffDyno oneOff)
    {
        var status = await dyno.Process!.Exited;
        bool retiring;
        lock (_gate)
        {
            retiring = dyno.Retiring;
            dyno.Retiring = true;
        }

        if (!retiring)
        {
            log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, $"Process exited with status {status}");
            await ChangeStateAsync(dyno, DynoState.Complete);
            await ReportDiscardedWritesAsync(dyno);
            await CleanUpAsync(dyno);
            lock (_gate)
            {
                DynosOf(dyno.AppId).Remove(dyno);
            }

            _records.Delete(dyno.Id);
        }

        oneOff.Complete(status);

        // A client may attach after a quick command has ended: keep its output and status for a while.
        _ = Task.Delay(TimeSpan.FromMinutes(5), time).ContinueWith(_ => _oneOffs.TryRemove(dyno.Id, out var _), TaskScheduler.Default);
    }

    /// <summary>A one-off dyno a client may attach to, by id.</summary>
    public OneOffDyno? FindOneOff(string dynoId) => _oneOffs.GetValueOrDefault(dynoId);

    /// <summary>Watches a dyno from boot to exit: marks it up when ready (web: accepts on $PORT), enforces R10, handles the exit.</summary>
    private async Task MonitorAsync(DynoInstance dyno)
    {
        var process = dyno.Process!;
        var bootTimedOut = false;
        if (dyno.IsWeb)
        {
            var launched = time.GetUtcNow();
            var deadline = launched + options.BootTimeout;
            while (!process.Exited.IsCompleted && !dyno.Retiring && !await ListenProbe.AcceptsAsync(dyno.Port, dyno.ListenerUid))
            {
                if (time.GetUtcNow() > deadline)
                {
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name,
                        $"Error R10 (Boot timeout) -> Web process failed to bind to $PORT within {options.BootTimeout.TotalSeconds:0} seconds of launch");
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Stopping process with SIGKILL");
                    process.Kill();
                    bootTimedOut = true; // killed, not yet reaped: it must not count as up in between
                    break;
                }

                await Task.WhenAny(process.Exited, Task.Delay(ListenProbe.PauseAfter(time.GetUtcNow() - launched), time));
            }
        }

        if (!bootTimedOut && !process.Exited.IsCompleted && !dyno.Retiring)
        {
            await ChangeStateAsync(dyno, DynoState.Up);
            dyno.CycleAt = CyclePolicy.CycleAt(time.GetUtcNow(), options.CycleAfter, options.CycleJitter, Random.Shared);
            await WatchAsync(dyno, process);
        }

        var status = await process.Exited;
        await OnExitedAsync(dyno, status);
    }

    /// <summary>While a dyno runs: R14 warnings above its memory quota, and daily cycling.</summary>
    private async Task WatchAsync(DynoInstance dyno, Sandbox.SandboxProcess process)
    {
        var lastWarning = DateTimeOffset.MinValue;
        while (!process.Exited.IsCompleted && !dyno.Retiring)
        {
            await Task.WhenAny(process.Exited, Task.Delay(options.MemorySampleInterval, time));
            var now = time.GetUtcNow();
            if (process.Exited.IsCompleted || dyno.Retiring)
            {
                return;
            }

            if (process.MemoryUsageBytes() is { } used)
            {
                dyno.PeakMemoryBytes = Math.Max(dyno.PeakMemoryBytes, used);
                metrics.RecordMemory(dyno.AppId, dyno.Name, used, dyno.Size.MemoryBytes);
                if (used > dyno.Size.MemoryBytes && now - lastWarning >= options.MemoryWarningInterval)
                {
                    lastWarning = now;
                    var percent = 100.0 * used / dyno.Size.MemoryBytes;
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name,
                        string.Create(CultureInfo.InvariantCulture, $"Process running mem={used / (1024 * 1024)}M({percent:0.0}%)"));
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Error R14 (Memory quota exceeded)");
                }
            }

            if (now >= dyno.CycleAt)
            {
                log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Cycling");
                lock (_gate)
                {
                    dyno.RestartRequested = true;
                    dyno.Cycling = true;
                }

                Reconcile(dyno.AppId);
                return;
            }
        }
    }

    private async Task OnExitedAsync(DynoInstance dyno, int? exitStatus)
    {
        DynoInstance? replaced;
        bool retiring;
        lock (_gate)
        {
            retiring = dyno.Retiring;
            replaced = dyno.Replaces;
            dyno.Replaces = null;
        }

        if (retiring)
        {
            return; // RetireAsync logs and cleans up
        }

        // The cgroup's hard limit sits at twice the quota: a SIGKILL after memory passed the quota is Heroku's R15.
        if (exitStatus == 137 && dyno.PeakMemoryBytes > dyno.Size.MemoryBytes)
        {
            log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Error R15 (Memory quota vastly exceeded)");
            log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Stopping process with SIGKILL");
        }

        if (exitStatus is not null)
        {
            log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, $"Process exited with status {exitStatus}");
        }

        lock (_gate)
        {
            if (_apps.TryGetValue(dyno.AppId, out var state))
            {
                // Reaching "up" is not enough to clear the series (a worker is up the moment it starts): only a long run is.
                var ranFor = dyno.State == DynoState.Up ? time.GetUtcNow() - dyno.UpdatedAt : TimeSpan.Zero;
                state.Crashes[dyno.Name] = ranFor >= CrashBackoff.StableUptime ? 1 : state.Crashes.GetValueOrDefault(dyno.Name) + 1;
                state.CrashTimes[dyno.Name] = time.GetUtcNow();
            }
        }

        // Any exit of a formation dyno is a crash, even status 0.
        await ChangeStateAsync(dyno, DynoState.Crashed);
        await ReportDiscardedWritesAsync(dyno);
        await CleanUpAsync(dyno);
        if (replaced is not null)
        {
            await RetireNowAsync(replaced);
        }

        Reconcile(dyno.AppId);
    }

    private async Task ChangeStateAsync(DynoInstance dyno, DynoState state)
    {
        DynoState previous;
        DynoInstance? replaced = null;
        TaskCompletionSource? webChanged = null;
        lock (_gate)
        {
            previous = dyno.State;
            dyno.State = state;
            dyno.UpdatedAt = time.GetUtcNow();
            if (state == DynoState.Up)
            {
                replaced = dyno.Replaces;
                dyno.Replaces = null;
                if (dyno.IsWeb)
                {
                    // Requests held through a boot (a wake) are forwarded only now: a boot slower than the idle time must not
                    // let the app fall asleep again under them.
                    _idle.Touch(dyno.AppId, dyno.UpdatedAt);
                }
            }

            if (dyno.IsWeb && _apps.TryGetValue(dyno.AppId, out var appState))
            {
                webChanged = appState.WebChanged;
                appState.WebChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        webChanged?.TrySetResult();
        log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, $"State changed from {previous.ToApiName()} to {state.ToApiName()}");
        if (state == DynoState.Up && dyno.IsWeb)
        {
            ReportWake(dyno);
        }
        _records.Upsert(dyno.ToRecord());
        if (replaced is not null)
        {
            await RetireNowAsync(replaced);
        }
    }

    private Task RetireNowAsync(DynoInstance dyno)
    {
        lock (_gate)
        {
            if (dyno.Retiring)
            {
                return Task.CompletedTask;
            }

            dyno.Retiring = true;
        }

        return RetireAsync(dyno, options.StopGracePeriod, logStateChange: false);
    }

    /// <summary>Stops a dyno: SIGTERM to all its processes, SIGKILL after the grace period (R12), then removes its filesystem.</summary>
    private Task RetireAsync(DynoInstance dyno, TimeSpan grace, bool logStateChange)
    {
        var retirement = StopAndCleanUpAsync(dyno, grace, logStateChange);
        _retirements[dyno.Id] = retirement;
        _ = retirement.ContinueWith(_ => _retirements.TryRemove(dyno.Id, out var _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return retirement;
    }

    private async Task StopAndCleanUpAsync(DynoInstance dyno, TimeSpan grace, bool logStateChange)
    {
        lock (_gate)
        {
            dyno.Retiring = true;
        }

        if (dyno.Process is { } process && !process.Exited.IsCompleted)
        {
            if (dyno.IsWeb)
            {
                // Out of routing already (Retiring); its requests in flight finish before the SIGTERM: deploys drop none.
                await traffic.DrainAsync(dyno.AppId, dyno.Id, grace);
            }

            if (logStateChange)
            {
                log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, $"State changed from {dyno.State.ToApiName()} to down");
            }

            log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Stopping all processes with SIGTERM");
            try
            {
                var result = await process.StopAsync(grace);
                if (result.Killed)
                {
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name,
                        $"Error R12 (Exit timeout) -> At least one process failed to exit within {grace.TotalSeconds:0} seconds of SIGTERM");
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Stopping remaining processes with SIGKILL");
                }

                log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, $"Process exited with status {result.ExitStatus}");
            }
            catch (Exception e)
            {
                logger.LogError(e, "Stopping dyno {Dyno} failed", dyno.Id);
                process.Kill();
            }
        }

        await ReportDiscardedWritesAsync(dyno);
        await CleanUpAsync(dyno);
        lock (_gate)
        {
            DynosOf(dyno.AppId).Remove(dyno);
        }

        _records.Delete(dyno.Id);
    }

    /// <summary>What a running dyno has written since boot (null when there is no such dyno).</summary>
    public async Task<DiscardedWrites?> WritesAsync(string appId, string dynoName, CancellationToken cancellationToken)
    {
        DynoInstance? dyno;
        lock (_gate)
        {
            dyno = _dynos.TryGetValue(appId, out var list) ? list.FirstOrDefault(d => !d.Retiring && (d.Name == dynoName || d.Id == dynoName)) : null;
        }

        return dyno is null || dyno.Process is null ? null : await backend.SummarizeWritesAsync(dyno.Id, cancellationToken);
    }

    /// <summary>Going beyond Heroku: say what a stopping dyno's ephemeral filesystem loses, so nobody learns it from missing files.</summary>
    private async Task ReportDiscardedWritesAsync(DynoInstance dyno)
    {
        try
        {
            var writes = await backend.SummarizeWritesAsync(dyno.Id);
            if (writes.Files > 0)
            {
                log.Write(dyno.AppId, LogSources.Slipway, dyno.Name, writes.Describe());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not examine the writes of dyno {Dyno}", dyno.Id);
        }
    }

    private async Task CleanUpAsync(DynoInstance dyno)
    {
        try
        {
            if (dyno.Process is { } process)
            {
                await process.DisposeAsync();
            }

            await backend.RemoveFilesystemAsync(dyno.Id);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Cleaning up dyno {Dyno} failed", dyno.Id);
        }

        quota.Stopped(dyno.Id);
        _ports.Release(dyno.Port);
        if (dyno.IsWeb)
        {
            // A drained dyno is forgotten already; a crashed one never drained, and each crash brings a new dyno id.
            traffic.Forget(dyno.AppId, dyno.Id);
        }
    }

    private async Task ForgetAppAsync(string appId)
    {
        List<DynoInstance> remaining;
        lock (_gate)
        {
            if (_apps.Remove(appId, out var gone) && _appIdsByName.TryGetValue(gone.Name, out var holder) && holder == appId)
            {
                _appIdsByName.Remove(gone.Name);
            }

            remaining = DynosOf(appId).ToList();
            _dynos.Remove(appId);
        }

        _idle.Forget(appId);

        await Task.WhenAll(remaining.Where(d => !d.Retiring).Select(d => RetireAsync(d, options.StopGracePeriod, logStateChange: true)));
        AppDeleted?.Invoke(appId);
    }

    private async Task SignalLaterAsync(string appId, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            Reconcile(appId);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private List<DynoInstance> DynosOf(string appId)
    {
        if (!_dynos.TryGetValue(appId, out var list))
        {
            list = [];
            _dynos[appId] = list;
        }

        return list;
    }

    private int HostUid(App app) => checked(options.UidBase + (int)app.Sequence);

    private Dictionary<string, string> Environment(App app, Release release, Slug slug, DynoInstance dyno)
    {
        var env = new Dictionary<string, string>(release.Config, StringComparer.Ordinal)
        {
            ["PORT"] = dyno.Port.ToString(CultureInfo.InvariantCulture),
            ["DYNO"] = dyno.Name,
            ["HOME"] = "/app",
            ["PWD"] = "/app",
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["LANG"] = release.Config.GetValueOrDefault("LANG") ?? "C.UTF-8",
            ["SLIPWAY_APP_ID"] = app.Id,
            ["SLIPWAY_APP_NAME"] = app.Name,
            ["SLIPWAY_DYNO_ID"] = dyno.Id,
            ["SLIPWAY_RELEASE_VERSION"] = $"v{release.Version}",
            ["SLIPWAY_RELEASE_CREATED_AT"] = release.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["SLIPWAY_SLUG_COMMIT"] = slug.Commit ?? "",
            ["SLIPWAY_SLUG_DESCRIPTION"] = release.Description,
            ["SLIPWAY_APP_DEFAULT_DOMAIN_NAME"] = $"{app.Name}.{options.Domain}",
        };
        return env;
    }

    private sealed partial class AppState(string appId, string name)
    {
        public string AppId { get; } = appId;

        public string Name { get; set; } = name;

        public bool Maintenance { get; set; }

        /// <summary>No code was ever released to the app (H81).</summary>
        public bool Blank { get; set; }

        public string? ErrorPageUrl { get; set; }

        public string? MaintenancePageUrl { get; set; }

        public int DesiredWeb { get; set; }

        public Dictionary<string, int> Crashes { get; } = new(StringComparer.Ordinal);

        /// <summary>The release the formation last ran: a different one resets the crash series.</summary>
        public string? ReleaseId { get; set; }

        public Dictionary<string, DateTimeOffset> CrashTimes { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource WebChanged { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset CrashedAt(string name) => CrashTimes.GetValueOrDefault(name);
    }
}
