using System.Globalization;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// The argv that starts one tree: <c>slipway-dyno-start</c> (Native/dyno-start.c) joins the tree's cgroups, opens the
/// seccomp filter on fd 3, restricts the tree with Landlock and drops to the app's uid, then execs bwrap, which execs the
/// command. One pid from the starter to bwrap, so the whole tree is in its cgroups before any app code runs.
/// </summary>
internal static class BubblewrapCommand
{
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
            SandboxCapabilities.DynoStart, "--seccomp", seccompFilter, "--uid", spec.HostUid.ToString(CultureInfo.InvariantCulture),
        };
        if (spec.RedirectStandardInput)
        {
            argv.Add("--keep-stdin");
        }

        foreach (var procs in cgroupProcs)
        {
            argv.AddRange(["--cgroup-procs", procs]);
        }

        // TCP binds: the dyno's own $PORT and an ephemeral port, nothing else (another dyno's port on the shared loopback).
        argv.AddRange(["--bind-port", "0"]);
        if (spec.Environment.TryGetValue("PORT", out var port) && ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            argv.AddRange(["--bind-port", number.ToString(CultureInfo.InvariantCulture)]);
        }

        argv.Add("--");
        argv.AddRange(
        [
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
