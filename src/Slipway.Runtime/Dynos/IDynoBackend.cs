using Slipway.Core.Dynos;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos;

/// <summary>What a backend needs to boot one dyno: the DynoManager decides, the backend executes.</summary>
public sealed record DynoSpec
{
    /// <summary>The dyno's unique id (a uuid, as in the API); also names its sandbox.</summary>
    public required string DynoId { get; init; }

    public required string AppId { get; init; }

    public required string AppName { get; init; }

    /// <summary>The dyno name: <c>web.1</c>, <c>run.4821</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The command, run with <c>bash -c</c> after sourcing <c>.profile.d/*.sh</c>, as Heroku does.</summary>
    public required string Command { get; init; }

    /// <summary>The complete environment (PORT, DYNO, config vars, metadata) as the dyno must see it.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The release's unpacked slug: a read-only host directory that becomes <c>/app</c>'s lower layer.</summary>
    public required string SlugDirectory { get; init; }

    /// <summary>The app's unprivileged host uid.</summary>
    public required int HostUid { get; init; }

    public required DynoSize Size { get; init; }

    /// <summary>Receives each line of the dyno's stdout/stderr.</summary>
    public Action<string>? OnOutputLine { get; init; }

    public bool RedirectStandardInput { get; init; }
}

/// <summary>Runs dynos somewhere: local sandboxes today, Kubernetes pods later.</summary>
public interface IDynoBackend
{
    /// <summary>Whether each dyno runs as its app's own host uid (<see cref="DynoSpec.HostUid"/>), so its sockets say whose they are.</summary>
    bool RunsAsHostUid { get; }

    /// <summary>Boots a dyno from a fresh copy of its slug.</summary>
    Task<SandboxProcess> StartAsync(DynoSpec spec, CancellationToken cancellationToken = default);

    /// <summary>What the dyno has written to <c>/app</c> since boot: what its stop will discard.</summary>
    Task<DiscardedWrites> SummarizeWritesAsync(string dynoId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a stopped dyno's ephemeral filesystem (after its process has exited).</summary>
    Task RemoveFilesystemAsync(string dynoId, CancellationToken cancellationToken = default);

    /// <summary>At start-up: removes every dyno process, mount and directory not in <paramref name="keepDynoIds"/>.</summary>
    Task ReapLeftoversAsync(IReadOnlySet<string> keepDynoIds, CancellationToken cancellationToken = default);
}

/// <summary>Makes a release's slug available as an unpacked directory (once per slug, cached).</summary>
public interface ISlugStore
{
    /// <summary>Returns the host directory holding the unpacked slug, files owned by <paramref name="hostUid"/>.</summary>
    Task<string> GetSlugDirectoryAsync(string slugId, int hostUid, CancellationToken cancellationToken = default);
}
