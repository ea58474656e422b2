namespace Slipway.Runtime.Sandbox;

/// <summary>
/// <c>--isolation none</c>: plain processes in their own session, with exactly the spec's environment.
/// Under root they still run as the app's host uid, so an app never runs as root.
/// </summary>
public sealed class UnisolatedSandbox : ISandbox
{
    // exec 2>&1 keeps stdout and stderr in one pipe so lines stay in order.
    private const string Wrapper = "exec 2>&1; exec \"$@\"";
    private const string WrapperWithoutStdin = "exec 2>&1 </dev/null; exec \"$@\"";

    public IsolationMode Mode => IsolationMode.None;

    public string PathInside(SandboxMount mount) => mount.HostPath;

    public async Task<SandboxProcess> StartAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (spec.Overlay is not null)
        {
            throw new ArgumentException("An overlay needs --isolation sandbox; unisolated trees get a copy of their files instead.", nameof(spec));
        }

        // Callers may give the working directory as seen inside (/app) or, through PathInside, as a host path already.
        var alreadyHost = spec.Mounts.Any(m => spec.WorkingDirectory == m.HostPath || spec.WorkingDirectory.StartsWith(m.HostPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        var workingDirectory = alreadyHost ? spec.WorkingDirectory : SandboxMounts.ToHostPath(spec.Mounts, spec.WorkingDirectory) ?? spec.WorkingDirectory;
        var host = await HostProcess.StartAsync(BuildArgv(spec), workingDirectory, spec.RedirectStandardInput, spec.OnOutputLine);
        return new UnisolatedProcess(spec.Id, host);
    }

    /// <summary>Nothing to reap: unisolated trees die with slipwayd (parent-death signal) and own no host state.</summary>
    public Task ReapLeftoversAsync(IReadOnlySet<string> keepIds, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static List<string> BuildArgv(SandboxSpec spec)
    {
        // One pid all the way down (sh → setsid → setpriv → env → command): each hop execs the next,
        // so the exit status is the command's and the session id is the pid we signal.
        var argv = new List<string>
        {
            "/bin/sh", "-c", spec.RedirectStandardInput ? Wrapper : WrapperWithoutStdin, "sh",
            "/usr/bin/setsid",
            "/usr/bin/setpriv", "--pdeathsig", "KILL",
        };
        if (Libc.IsRoot)
        {
            argv.AddRange([$"--reuid={spec.HostUid}", $"--regid={spec.HostUid}", "--clear-groups"]);
        }

        argv.AddRange(["/usr/bin/env", "-i"]);
        argv.AddRange(spec.Environment.Select(e => $"{e.Key}={e.Value}"));
        argv.AddRange(spec.Command);
        return argv;
    }
}
