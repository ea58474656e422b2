using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Starts a tree in a mount namespace of its own that holds its overlay, so the host's mount table never holds dyno
/// mounts: bwrap copies and re-reads that whole table for each of its mounts (a start cost that grew with every dyno
/// running), and the overlay goes away with the tree's last process, even when slipwayd is killed.
/// Mount namespaces belong to threads: call only from the launcher thread, which forks the tree.
/// </summary>
internal static class TreeMountNamespace
{
    private const ulong MS_REC = 0x4000;
    private const ulong MS_SLAVE = 0x80000;

    private static SafeFileHandle? _launcherNamespace;

    public static Process Start(ProcessStartInfo startInfo, SandboxOverlay overlay, Func<ProcessStartInfo, Process> start)
    {
        var home = _launcherNamespace ??= EnterLauncherNamespace();
        Unshare();
        Process process;
        try
        {
            OverlayMount.Mount(overlay.Lower, overlay.Upper, overlay.Work, overlay.Target);
            process = start(startInfo);
        }
        catch
        {
            Return(home);
            throw;
        }

        // The tree keeps the namespace (and with it the overlay) alive; the launcher goes back for the next fork.
        Return(home);
        return process;
    }

    /// <summary>The launcher's own copy of the host's mounts, a slave of them: host mounts still show, nothing goes back.</summary>
    private static SafeFileHandle EnterLauncherNamespace()
    {
        Unshare();
        if (Libc.mount("none", "/", "none", MS_REC | MS_SLAVE, null) != 0)
        {
            throw new IOException($"Making the sandbox launcher's mounts a slave of the host's failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return File.OpenHandle("/proc/thread-self/ns/mnt");
    }

    private static void Return(SafeFileHandle home)
    {
        if (Libc.setns((int)home.DangerousGetHandle(), Libc.CLONE_NEWNS) != 0)
        {
            throw new InvalidOperationException($"The sandbox launcher could not leave a dyno's mount namespace: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    private static void Unshare()
    {
        if (Libc.unshare(Libc.CLONE_NEWNS) != 0)
        {
            throw new IOException($"Creating a mount namespace for a dyno failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
