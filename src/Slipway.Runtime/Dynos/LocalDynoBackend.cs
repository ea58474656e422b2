using Slipway.Core.Dynos;
using Slipway.Core.Platform;
using Slipway.Runtime.Dynos.Filesystem;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos;

/// <summary>
/// Runs dynos on this machine through an <see cref="ISandbox"/>: each boot gets a fresh <c>/app</c> (an overlay
/// on the slug in the dyno's own mount namespace when sandboxed as root, a copy otherwise), the dyno's size as limits, and its name as hostname.
/// </summary>
public sealed class LocalDynoBackend : IDynoBackend
{
    private const string AppPath = "/app";

    private readonly ISandbox _sandbox;
    private readonly DynoFilesystems _filesystems;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> _bootedAt = new(StringComparer.Ordinal);

    public LocalDynoBackend(ISandbox sandbox, DataDirectory data)
    {
        _sandbox = sandbox;
        _filesystems = new DynoFilesystems(data);
    }

    public bool RunsAsHostUid => _sandbox.Mode == IsolationMode.Sandbox;

    public async Task<SandboxProcess> StartAsync(DynoSpec spec, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _bootedAt[spec.DynoId] = DateTime.UtcNow;
        var filesystem = _filesystems.Create(spec.DynoId, spec.SlugDirectory, spec.HostUid, overlay: _sandbox.Mode == IsolationMode.Sandbox);
        try
        {
            var app = new SandboxMount(filesystem.App, AppPath, ReadOnly: false);
            var appInside = _sandbox.PathInside(app);
            return await _sandbox.StartAsync(
                new SandboxSpec
                {
                    Id = spec.DynoId,
                    Command = DynoBootScript.Command(appInside, spec.Command),
                    Environment = DynoEnvironment(spec.Environment, appInside),
                    WorkingDirectory = AppPath,
                    Mounts = [app],
                    Overlay = filesystem.Overlay,
                    HostUid = spec.HostUid,
                    Hostname = spec.Name,
                    MemoryLimitBytes = spec.Size.HardLimitBytes,
                    PidsMax = spec.Size.PidsMax,
                    CpuShares = spec.Size.CpuShares,
                    OnOutputLine = spec.OnOutputLine,
                    RedirectStandardInput = spec.RedirectStandardInput,
                },
                cancellationToken);
        }
        catch
        {
            _filesystems.Remove(spec.DynoId);
            throw;
        }
    }

    public Task<DiscardedWrites> SummarizeWritesAsync(string dynoId, CancellationToken cancellationToken = default) =>
        Task.Run(() => WrittenFiles.Summarise(_filesystems.For(dynoId), AppPath, _bootedAt.GetValueOrDefault(dynoId)), cancellationToken);

    public Task RemoveFilesystemAsync(string dynoId, CancellationToken cancellationToken = default)
    {
        _bootedAt.TryRemove(dynoId, out _);
        _filesystems.Remove(dynoId);
        return Task.CompletedTask;
    }

    public async Task ReapLeftoversAsync(IReadOnlySet<string> keepDynoIds, CancellationToken cancellationToken = default)
    {
        // Processes first, so no leftover holds a filesystem about to be removed.
        await _sandbox.ReapLeftoversAsync(keepDynoIds, cancellationToken);
        foreach (var dynoId in _filesystems.DynoIds().Where(id => !keepDynoIds.Contains(id)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            _filesystems.Remove(dynoId);
        }
    }

    /// <summary>The spec's environment, with HOME and PATH as Heroku sets them when the spec leaves them out.</summary>
    private static Dictionary<string, string> DynoEnvironment(IReadOnlyDictionary<string, string> given, string appInside)
    {
        var environment = new Dictionary<string, string>(given);
        if (!environment.TryGetValue("HOME", out var home) || home == AppPath)
        {
            // Unisolated, /app does not exist: home is wherever the app's files really are.
            environment["HOME"] = appInside;
        }

        environment.TryAdd("PATH", "/usr/local/bin:/usr/bin:/bin");
        return environment;
    }
}
