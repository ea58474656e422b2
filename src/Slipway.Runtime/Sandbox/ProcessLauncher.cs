using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Starts every sandboxed process from one long-lived thread. bwrap's <c>--die-with-parent</c>
/// (PR_SET_PDEATHSIG) fires when the *thread* that forked the child exits, so a thread-pool
/// thread retiring would kill a healthy dyno. A tree with an overlay is forked into its own mount namespace,
/// which a second long-lived thread prepares while the launcher forks the trees before it.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<Launch> Mounts = [];
    private static readonly BlockingCollection<Launch> Forks = [];

    static ProcessLauncher()
    {
        new Thread(RunMounts) { IsBackground = true, Name = "slipway-dyno-mounts" }.Start();
        new Thread(RunForks) { IsBackground = true, Name = "slipway-sandbox-launcher" }.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo startInfo, SandboxOverlay? overlay)
    {
        var launch = new Launch(startInfo, overlay);
        (overlay is null ? Forks : Mounts).Add(launch);
        return launch.Started.Task;
    }

    private static void RunMounts()
    {
        LauncherPriority.RaiseCurrentThread();
        foreach (var launch in Mounts.GetConsumingEnumerable())
        {
            try
            {
                launch.Tree = TreeMountNamespace.Prepare(launch.Overlay!);
                Forks.Add(launch);
            }
            catch (Exception e)
            {
                launch.Started.SetException(e);
            }
        }
    }

    private static void RunForks()
    {
        LauncherPriority.RaiseCurrentThread();
        foreach (var launch in Forks.GetConsumingEnumerable())
        {
            try
            {
                launch.Started.SetResult(launch.Tree is null ? Start(launch.StartInfo) : TreeMountNamespace.StartIn(launch.Tree, launch.StartInfo, Start));
            }
            catch (Exception e)
            {
                launch.Started.SetException(e);
            }
            finally
            {
                launch.Tree?.Dispose();
            }
        }
    }

    private static Process Start(ProcessStartInfo startInfo) =>
        Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start.");

    private sealed class Launch(ProcessStartInfo startInfo, SandboxOverlay? overlay)
    {
        public ProcessStartInfo StartInfo { get; } = startInfo;

        public SandboxOverlay? Overlay { get; } = overlay;

        public TaskCompletionSource<Process> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The prepared mount namespace holding the overlay; owned by the launch until the tree is forked into it.</summary>
        public SafeFileHandle? Tree { get; set; }
    }
}
