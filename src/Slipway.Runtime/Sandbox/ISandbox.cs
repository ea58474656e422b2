namespace Slipway.Runtime.Sandbox;

/// <summary>How untrusted code (buildpacks, dynos) is run on this machine.</summary>
public enum IsolationMode
{
    /// <summary>bubblewrap + cgroups + seccomp + nftables, as an unprivileged uid per app.</summary>
    Sandbox,

    /// <summary>Plain processes: no isolation at all. Only with an explicit <c>--isolation none</c>.</summary>
    None,
}

/// <summary>A host directory made visible inside the sandbox at <see cref="SandboxPath"/>.</summary>
public sealed record SandboxMount(string HostPath, string SandboxPath, bool ReadOnly = true);

/// <summary>
/// An overlay of <see cref="Lower"/> (read-only) and <see cref="Upper"/> (the writes) at the host path <see cref="Target"/>,
/// mounted only in the tree's own mount namespace: the host never sees it, and it ends with the tree.
/// </summary>
public sealed record SandboxOverlay(string Lower, string Upper, string Work, string Target);

/// <summary>Everything needed to start one sandboxed process tree (a dyno or a buildpack step).</summary>
public sealed record SandboxSpec
{
    /// <summary>Unique, file-name-safe id (e.g. <c>dyno-3f2a…</c>); names the cgroup so leftovers can be found and reaped.</summary>
    public required string Id { get; init; }

    /// <summary>argv; paths in it are as seen inside (use <see cref="ISandbox.PathInside"/>).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The complete environment: nothing of slipwayd's own environment leaks in.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Working directory as seen inside.</summary>
    public required string WorkingDirectory { get; init; }

    public IReadOnlyList<SandboxMount> Mounts { get; init; } = [];

    /// <summary>Mounted before the tree starts, so a mount in <see cref="Mounts"/> may show it; needs <see cref="IsolationMode.Sandbox"/>.</summary>
    public SandboxOverlay? Overlay { get; init; }

    /// <summary>The unprivileged host uid (and gid) the tree runs as; one per app.</summary>
    public required int HostUid { get; init; }

    public string Hostname { get; init; } = "dyno";

    /// <summary>Hard memory limit of the whole tree; 0 = none.</summary>
    public long MemoryLimitBytes { get; init; }

    /// <summary>Maximum number of processes/threads; 0 = none.</summary>
    public int PidsMax { get; init; }

    /// <summary>Relative CPU weight (cgroup v1 cpu.shares scale, 1024 = one share); 0 = default.</summary>
    public int CpuShares { get; init; }

    /// <summary>Size of the private <c>/tmp</c> tmpfs.</summary>
    public long TmpSizeBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Receives each line the tree writes to stdout or stderr, in order, without the newline.</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>When true, <see cref="SandboxProcess.StandardInput"/> is a pipe; otherwise stdin is /dev/null.</summary>
    public bool RedirectStandardInput { get; init; }
}

/// <summary>Runs process trees in isolation. One implementation per <see cref="IsolationMode"/>.</summary>
public interface ISandbox
{
    IsolationMode Mode { get; }

    /// <summary>The path a program inside sees for <paramref name="mount"/>: its sandbox path when isolated, the host path otherwise.</summary>
    string PathInside(SandboxMount mount);

    /// <summary>Starts the tree; the returned process is running (or has already failed, see <see cref="SandboxProcess.Exited"/>).</summary>
    Task<SandboxProcess> StartAsync(SandboxSpec spec, CancellationToken cancellationToken = default);

    /// <summary>At start-up: kills and removes leftovers (cgroups, processes, firewall state) of trees not in <paramref name="keepIds"/>.</summary>
    Task ReapLeftoversAsync(IReadOnlySet<string> keepIds, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="SandboxProcess.StopAsync"/>: the exit status, and whether the grace period ran out (Heroku's R12).</summary>
public sealed record SandboxStopResult(int ExitStatus, bool Killed);

/// <summary>A running sandboxed process tree.</summary>
public abstract class SandboxProcess : IAsyncDisposable
{
    public abstract string Id { get; }

    /// <summary>Host pid of the outermost process.</summary>
    public abstract int Pid { get; }

    /// <summary>Completes with the command's exit status (128+N when killed by signal N, e.g. 143, 137) once its output is drained.</summary>
    public abstract Task<int> Exited { get; }

    /// <summary>The command's stdin when <see cref="SandboxSpec.RedirectStandardInput"/> was set.</summary>
    public abstract Stream? StandardInput { get; }

    /// <summary>Current memory use of the whole tree in bytes, or null when unknown.</summary>
    public abstract long? MemoryUsageBytes();

    /// <summary>SIGTERM to every process of the tree, then SIGKILL to all after <paramref name="grace"/>.</summary>
    public abstract Task<SandboxStopResult> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default);

    /// <summary>SIGKILL to every process of the tree, immediately.</summary>
    public abstract void Kill();

    public abstract ValueTask DisposeAsync();
}
