using System.Collections.Concurrent;
using System.Diagnostics;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Starts every sandboxed process from one long-lived thread. bwrap's <c>--die-with-parent</c>
/// (PR_SET_PDEATHSIG) fires when the *thread* that forked the child exits, so a thread-pool
/// thread retiring would kill a healthy dyno. A tree with an overlay is forked into its own mount namespace.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo StartInfo, SandboxOverlay? Overlay, TaskCompletionSource<Process> Started)> Queue = [];

    static ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "slipway-sandbox-launcher" };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo startInfo, SandboxOverlay? overlay)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((startInfo, overlay, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (startInfo, overlay, started) in Queue.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(overlay is null ? Start(startInfo) : TreeMountNamespace.Start(startInfo, overlay, Start));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }

    private static Process Start(ProcessStartInfo startInfo) =>
        Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start.");
}
