using System.Globalization;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// The argv that starts one tree: a root <c>/bin/sh</c> joins the tree's cgroups and opens the seccomp
/// filter on fd 3, then execs setpriv (drop to the app uid) which execs bwrap, which execs the command.
/// One pid from sh to bwrap, so the whole tree is in its cgroups before any app code runs.
/// </summary>
internal static class BubblewrapCommand
{
    // $1 = filter file, $2 = number of cgroup.procs files, then the files, then the command to exec.
    private const string Starter =
        "filter=$1; n=$2; shift 2; " +
        "while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\"; shift; n=$((n-1)); done; " +
        "exec \"$@\" 3<\"$filter\"";

    public static List<string> Build(
        SandboxSpec spec,
        SandboxOptions options,
        string curatedEtc,
        string seccompFilter,
        IReadOnlyList<string> cgroupProcs)
    {
        var uid = options.SandboxUid.ToString(CultureInfo.InvariantCulture);
        var argv = new List<string>
        {
            "/bin/sh", "-c", (spec.RedirectStandardInput ? "set -e; exec 2>&1; " : "set -e; exec 2>&1 </dev/null; ") + Starter, "sh",
            seccompFilter, cgroupProcs.Count.ToString(CultureInfo.InvariantCulture),
        };
        argv.AddRange(cgroupProcs);
        argv.AddRange(
        [
            SandboxCapabilities.Setpriv, $"--reuid={spec.HostUid}", $"--regid={spec.HostUid}", "--clear-groups",
            "--inh-caps=-all", "--no-new-privs",
            SandboxCapabilities.Bwrap,
            "--unshare-user", "--disable-userns", "--uid", uid, "--gid", uid, "--cap-drop", "ALL",
            "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--hostname", spec.Hostname, "--die-with-parent", "--seccomp", "3",
            "--clearenv",
        ]);
        foreach (var (name, value) in spec.Environment)
        {
            argv.AddRange(["--setenv", name, value]);
        }

        // The read-only stack: the host's /usr, with the usual links into it.
        argv.AddRange(
        [
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
            "--proc", "/proc", "--dev", "/dev",
            "--size", spec.TmpSizeBytes.ToString(CultureInfo.InvariantCulture), "--perms", "1777", "--tmpfs", "/tmp",
            "--ro-bind", curatedEtc, "/etc",
        ]);

        foreach (var mount in spec.Mounts)
        {
            argv.AddRange([mount.ReadOnly ? "--ro-bind" : "--bind", mount.HostPath, mount.SandboxPath]);
        }

        // Nothing may be created in the root tmpfs itself once the mounts are in place.
        argv.AddRange(["--remount-ro", "/", "--chdir", spec.WorkingDirectory, "--"]);
        argv.AddRange(spec.Command);
        return argv;
    }
}
