using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Starts a tree in a mount namespace of its own that holds its overlay, so the host's mount table never holds dyno
/// mounts: bwrap copies and re-reads that whole table for each of its mounts (a start cost that grew with every dyno
/// running), and the overlay goes away with the tree's last process, even when slipwayd is killed.
/// The namespace is made on one thread (<see cref="Prepare"/>) and entered by the launcher to fork (<see cref="StartIn"/>):
/// making it waits on the kernel's global mount lock, which every sandbox's bwrap takes once per mount while it sets up, so
/// the launcher, which every start waits on, stays off that lock.
/// Mount namespaces belong to threads: call each method only from the one long-lived thread it is meant for.
/// Any thread the runtime starts from one of those threads while it is in a dyno's namespace (a thread-pool worker, the
/// tiered-compilation worker, the background GC thread: each made by whichever thread first needs it) is born in that
/// namespace and shares the thread's filesystem context; such a thread runs only runtime and platform code, holds that
/// namespace until it exits, and must not stop the thread it came from from switching namespaces again (<see cref="Enter"/>).
/// </summary>
internal static class TreeMountNamespace
{
    private const ulong MS_REC = 0x4000;
    private const ulong MS_SLAVE = 0x80000;

    [ThreadStatic]
    private static SafeFileHandle? _home;

    /// <summary>Makes a namespace with <paramref name="overlay"/> mounted; the handle keeps it alive until a tree is forked into it.</summary>
    public static SafeFileHandle Prepare(SandboxOverlay overlay)
    {
        var home = _home ??= EnterThreadNamespace();
        Unshare();
        try
        {
            OverlayMount.Mount(overlay.Lower, overlay.Upper, overlay.Work, overlay.Target);
            return File.OpenHandle("/proc/thread-self/ns/mnt");
        }
        finally
        {
            Return(home);
        }
    }

    /// <summary>Forks a tree inside <paramref name="tree"/> (from <see cref="Prepare"/>) and comes back for the next fork.</summary>
    public static Process StartIn(SafeFileHandle tree, ProcessStartInfo startInfo, Func<ProcessStartInfo, Process> start)
    {
        var home = _home ??= EnterThreadNamespace();
        Enter(tree, "enter a dyno's mount namespace");
        try
        {
            // The tree keeps the namespace (and with it the overlay) alive once forked.
            return start(startInfo);
        }
        finally
        {
            Return(home);
        }
    }

    /// <summary>
    /// The thread's own copy of the host's mounts, a slave of them: host mounts still show, nothing goes back. Unsharing also
    /// gives the thread its own filesystem context, which setns into a mount namespace requires.
    /// </summary>
    private static SafeFileHandle EnterThreadNamespace()
    {
        Unshare();
        if (Libc.mount("none", "/", "none", MS_REC | MS_SLAVE, null) != 0)
        {
            throw new IOException($"Making the sandbox launcher's mounts a slave of the host's failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return File.OpenHandle("/proc/thread-self/ns/mnt");
    }

    private static void Return(SafeFileHandle home) => Enter(home, "leave a dyno's mount namespace");

    private static void Enter(SafeFileHandle mountNamespace, string what)
    {
        // setns into a mount namespace fails with EINVAL while another thread shares this one's filesystem context
        // (root, cwd, umask), and every thread started from this one does: take a private copy first (a few words).
        if (Libc.unshare(Libc.CLONE_FS) != 0 || Libc.setns((int)mountNamespace.DangerousGetHandle(), Libc.CLONE_NEWNS) != 0)
        {
            throw new InvalidOperationException($"The sandbox launcher could not {what}: {Marshal.GetLastPInvokeErrorMessage()}");
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
