namespace Slipway.Runtime.Sandbox;

/// <summary>A plain process tree: one session whose id is the outermost pid.</summary>
internal sealed class UnisolatedProcess : SandboxProcess
{
    private readonly HostProcess _host;

    public UnisolatedProcess(string id, HostProcess host)
    {
        Id = id;
        _host = host;
        Exited = WaitAsync();
    }

    public override string Id { get; }

    public override int Pid => _host.Pid;

    public override Task<int> Exited { get; }

    public override Stream? StandardInput => _host.StandardInput;

    /// <summary>Resident memory of the outermost process (there is no cgroup to ask for the tree).</summary>
    public override long? MemoryUsageBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    public override async Task<SandboxStopResult> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        SignalGroup(Libc.SIGTERM);
        var killed = false;
        if (!await CompletesWithinAsync(Exited, grace, cancellationToken))
        {
            killed = true;
            SignalGroup(Libc.SIGKILL);
        }

        return new SandboxStopResult(await Exited, killed);
    }

    public override void Kill() => SignalGroup(Libc.SIGKILL);

    public override async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            Kill();
        }

        await Exited; // the output is drained by then, so closing the pipes cannot cut a line
        _host.Dispose();
    }

    internal static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<int> WaitAsync()
    {
        var status = await _host.MainExited;

        // The dyno is over when its command exits; leftovers in its session would hold the output open.
        SignalGroup(Libc.SIGKILL);
        await _host.OutputDrained;
        return status;
    }

    private void SignalGroup(int signal)
    {
        // Before setsid has run the session does not exist yet; the pid alone is still the whole tree.
        // Once the pid is reaped it may belong to someone else, so only the group is signalled then.
        if (Libc.kill(-Pid, signal) != 0 && !_host.MainExited.IsCompleted)
        {
            Libc.kill(Pid, signal);
        }
    }
}
