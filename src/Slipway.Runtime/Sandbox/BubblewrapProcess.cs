using System.Diagnostics;

namespace Slipway.Runtime.Sandbox;

/// <summary>A tree running under bwrap; its processes are found through its cgroup.</summary>
internal sealed class BubblewrapProcess : SandboxProcess
{
    private static readonly TimeSpan SetUpPoll = TimeSpan.FromMilliseconds(5);

    private readonly HostProcess _host;
    private readonly CgroupHierarchy _cgroups;

    public BubblewrapProcess(string id, HostProcess host, CgroupHierarchy cgroups)
    {
        Id = id;
        _host = host;
        _cgroups = cgroups;
        Exited = WaitAsync();
    }

    public override string Id { get; }

    /// <summary>The outer bwrap (which was slipway-dyno-start, under the same pid).</summary>
    public override int Pid => _host.Pid;

    public override Task<int> Exited { get; }

    public override Stream? StandardInput => _host.StandardInput;

    public override long? MemoryUsageBytes() => _cgroups.MemoryUsageBytes(Id);

    public override async Task<SandboxStopResult> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        // bwrap does not forward SIGTERM into the namespace: signal the app's processes directly. A stop while bwrap is
        // still building the namespace finds no app process yet; it looks again until the app's first process has its
        // SIGTERM (a dyno stopped as it boots ends at once, not after the whole grace), the tree exits, or the grace ends.
        var started = Stopwatch.GetTimestamp();
        while (TerminateApp() == 0 && !Exited.IsCompleted && Stopwatch.GetElapsedTime(started) < grace)
        {
            await Task.WhenAny(Exited, Task.Delay(SetUpPoll, cancellationToken));
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        var killed = false;
        var remaining = grace - Stopwatch.GetElapsedTime(started);
        if (!await UnisolatedProcess.CompletesWithinAsync(Exited, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken))
        {
            killed = true;
            Kill();
        }

        return new SandboxStopResult(await Exited, killed);
    }

    /// <summary>SIGKILL to everything in the cgroup; killing the namespace init ends the whole pid namespace.</summary>
    public override void Kill()
    {
        foreach (var pid in _cgroups.Pids(Id))
        {
            Libc.kill(pid, Libc.SIGKILL);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            Kill();
        }

        await Exited; // the output is drained by then, so closing the pipes cannot cut a line
        _host.Dispose();
    }

    private async Task<int> WaitAsync()
    {
        var status = await _host.MainExited;
        await _cgroups.KillAndRemoveAsync(Id);
        await _host.OutputDrained;
        return status;
    }

    /// <summary>SIGTERM to every process of the app (not bwrap's own); answers how many there were.</summary>
    private int TerminateApp()
    {
        var bwrapOwn = BwrapProcesses();
        var signalled = 0;
        foreach (var pid in _cgroups.Pids(Id).Where(p => !bwrapOwn.Contains(p)))
        {
            Libc.kill(pid, Libc.SIGTERM);
            signalled++;
        }

        return signalled;
    }

    /// <summary>The outer bwrap and its child, the namespace init: they must outlive the app's SIGTERM handling.</summary>
    private HashSet<int> BwrapProcesses()
    {
        var own = new HashSet<int> { Pid };
        foreach (var pid in _cgroups.Pids(Id))
        {
            if (ParentPid(pid) == Pid)
            {
                own.Add(pid);
            }
        }

        return own;
    }

    private static int? ParentPid(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1]);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
