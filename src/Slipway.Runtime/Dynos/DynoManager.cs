using System.Globalization;
using System.Net.Sockets;
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
public sealed class DynoManager(
    AppRepository apps,
    ReleaseRepository releases,
    BuildRepository builds,
    DynoRepository dynoRecords,
    IDynoBackend backend,
    ISlugStore slugs,
    IAppLog log,
    TimeProvider time,
    RuntimeOptions options,
    ILogger<DynoManager> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<DynoInstance>> _dynos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly Channel<string> _signals = Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private readonly PortAllocator _ports = new(options.FirstDynoPort, options.LastDynoPort);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once leftovers of a previous run are reaped and every app has been reconciled once.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Asks for <paramref name="appId"/> to be reconciled soon.</summary>
    public void Reconcile(string appId) => _signals.Writer.TryWrite(appId);

    /// <summary>The app's dynos as they are now, for the API.</summary>
    public IReadOnlyList<DynoRecord> List(string appId)
    {
        lock (_gate)
        {
            return _dynos.TryGetValue(appId, out var list)
                ? list.Where(d => !d.Retiring).OrderBy(d => d.Type, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal).Select(d => d.ToRecord()).ToList()
                : [];
        }
    }

    /// <summary>Routing facts for an app by name, or null when no such app exists.</summary>
    public AppRoute? FindRoute(string appName)
    {
        lock (_gate)
        {
            var state = _apps.Values.FirstOrDefault(a => a.Name == appName);
            if (state is null)
            {
                return null;
            }

            var web = _dynos.TryGetValue(state.AppId, out var list) ? list.Where(d => d.IsWeb && !d.Retiring).ToList() : [];
            var up = web.Where(d => d.State == DynoState.Up).Select(d => new DynoEndpoint(d.Id, d.Name, d.Port)).ToList();
            return new AppRoute(state.AppId, state.Name, state.Maintenance, up, state.DesiredWeb,
                web.Any(d => d.State == DynoState.Starting), web.Count > 0 && web.All(d => d.State == DynoState.Crashed));
        }
    }

    /// <summary>Waits until the app has an up web dyno (true) or the timeout passes (false).</summary>
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

                if (_dynos.TryGetValue(appId, out var list) && list.Any(d => d.IsWeb && !d.Retiring && d.State == DynoState.Up))
                {
                    return true;
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
                foreach (var dyno in list.Where(d => !d.Retiring && (typeOrName is null || d.Type == typeOrName || d.Name == typeOrName)))
                {
                    dyno.RestartRequested = true;
                    count++;
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
            foreach (var stale in await dynoRecords.ListAsync(null, stoppingToken))
            {
                await dynoRecords.DeleteAsync(stale.Id, stoppingToken);
            }

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
        await Task.WhenAll(all.Select(d => RetireAsync(d, grace, logStateChange: true)));
    }

    private async Task ReconcileAppAsync(string appId, CancellationToken cancellationToken)
    {
        var app = await apps.FindAsync(appId, cancellationToken);
        if (app is null)
        {
            await ForgetAppAsync(appId);
            return;
        }

        var release = await releases.CurrentAsync(appId, cancellationToken);
        var formation = await releases.GetFormationAsync(appId, cancellationToken);
        var slug = release?.SlugId is { } slugId ? await builds.FindSlugAsync(slugId, cancellationToken) : null;
        var desired = slug is null || release is null
            ? []
            : formation.Where(f => f.Quantity > 0)
                .SelectMany(f => Enumerable.Range(1, f.Quantity).Select(i => (Name: $"{f.Type}.{i}", Entry: f)))
                .ToList();

        var toStart = new List<(string Name, FormationEntry Entry, DynoInstance? Replaces)>();
        var toRetire = new List<DynoInstance>();
        TimeSpan? retryIn = null;
        lock (_gate)
        {
            if (!_apps.TryGetValue(appId, out var state))
            {
                state = new AppState(appId, app.Name);
                _apps[appId] = state;
            }

            state.Name = app.Name;
            state.Maintenance = app.Maintenance;
            state.DesiredWeb = desired.Count(d => d.Entry.Type == "web");
            var list = DynosOf(appId);
            var now = time.GetUtcNow();
            foreach (var (name, entry) in desired)
            {
                var current = list.FirstOrDefault(d => d.Name == name && !d.Retiring && d.Replaces is null)
                    ?? list.FirstOrDefault(d => d.Name == name && !d.Retiring);
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
            toRetire.AddRange(list.Where(d => !d.Retiring && !desiredNames.Contains(d.Name)));
            foreach (var dyno in toRetire)
            {
                dyno.Retiring = true;
            }
        }

        foreach (var dyno in toRetire)
        {
            _ = RetireAsync(dyno, options.StopGracePeriod, logStateChange: true);
        }

        foreach (var (name, entry, replaces) in toStart)
        {
            await StartDynoAsync(app, release!, slug!, name, entry, replaces, cancellationToken);
        }

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
                if (replaces is not null && replaces.RestartRequested)
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
            var slugDirectory = await slugs.GetSlugDirectoryAsync(slug.Id, HostUid(app), cancellationToken);
            dyno.Process = await backend.StartAsync(new DynoSpec
            {
                DynoId = dyno.Id, AppId = app.Id, AppName = app.Name, Name = name, Command = entry.Command,
                Environment = Environment(app, release, slug, dyno), SlugDirectory = slugDirectory, HostUid = HostUid(app), Size = size,
                OnOutputLine = line => log.Write(app.Id, LogSources.App, name, line),
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Starting {Dyno} of {App} failed", name, app.Name);
            log.Write(app.Id, LogSources.Heroku, name, $"Error H99 (Platform error) -> the dyno could not be started: {e.Message}");
            await OnExitedAsync(dyno, exitStatus: null);
            return;
        }

        await dynoRecords.UpsertAsync(dyno.ToRecord(), cancellationToken);
        _ = MonitorAsync(dyno);
    }

    /// <summary>Watches a dyno from boot to exit: marks it up when ready (web: accepts on $PORT), enforces R10, handles the exit.</summary>
    private async Task MonitorAsync(DynoInstance dyno)
    {
        var process = dyno.Process!;
        if (dyno.IsWeb)
        {
            var deadline = time.GetUtcNow() + options.BootTimeout;
            // Poll often: a loopback connect costs microseconds, and every millisecond of pause is added to each boot.
            var pause = TimeSpan.FromMilliseconds(1);
            while (!process.Exited.IsCompleted && !dyno.Retiring && !await AcceptsAsync(dyno.Port))
            {
                if (time.GetUtcNow() > deadline)
                {
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name,
                        $"Error R10 (Boot timeout) -> Web process failed to bind to $PORT within {options.BootTimeout.TotalSeconds:0} seconds of launch");
                    log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, "Stopping process with SIGKILL");
                    process.Kill();
                    break;
                }

                await Task.WhenAny(process.Exited, Task.Delay(pause, time));
                pause = pause < TimeSpan.FromMilliseconds(2) ? pause * 2 : pause;
            }
        }

        if (!process.Exited.IsCompleted && !dyno.Retiring)
        {
            await ChangeStateAsync(dyno, DynoState.Up);
        }

        var status = await process.Exited;
        await OnExitedAsync(dyno, status);
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

        if (exitStatus is not null)
        {
            log.Write(dyno.AppId, LogSources.Heroku, dyno.Name, $"Process exited with status {exitStatus}");
        }

        lock (_gate)
        {
            if (_apps.TryGetValue(dyno.AppId, out var state))
            {
                state.Crashes[dyno.Name] = state.Crashes.GetValueOrDefault(dyno.Name) + 1;
                state.CrashTimes[dyno.Name] = time.GetUtcNow();
            }
        }

        // Any exit of a formation dyno is a crash, even status 0.
        await ChangeStateAsync(dyno, DynoState.Crashed);
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
                if (_apps.TryGetValue(dyno.AppId, out var app))
                {
                    app.Crashes.Remove(dyno.Name);
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
        await dynoRecords.UpsertAsync(dyno.ToRecord());
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
    private async Task RetireAsync(DynoInstance dyno, TimeSpan grace, bool logStateChange)
    {
        lock (_gate)
        {
            dyno.Retiring = true;
        }

        if (dyno.Process is { } process && !process.Exited.IsCompleted)
        {
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

        await CleanUpAsync(dyno);
        lock (_gate)
        {
            DynosOf(dyno.AppId).Remove(dyno);
        }

        await dynoRecords.DeleteAsync(dyno.Id);
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

        _ports.Release(dyno.Port);
    }

    private async Task ForgetAppAsync(string appId)
    {
        List<DynoInstance> remaining;
        lock (_gate)
        {
            _apps.Remove(appId);
            remaining = DynosOf(appId).ToList();
            _dynos.Remove(appId);
        }

        await Task.WhenAll(remaining.Where(d => !d.Retiring).Select(d => RetireAsync(d, options.StopGracePeriod, logStateChange: true)));
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

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private sealed class AppState(string appId, string name)
    {
        public string AppId { get; } = appId;

        public string Name { get; set; } = name;

        public bool Maintenance { get; set; }

        public int DesiredWeb { get; set; }

        public Dictionary<string, int> Crashes { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateTimeOffset> CrashTimes { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource WebChanged { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset CrashedAt(string name) => CrashTimes.GetValueOrDefault(name);
    }
}
