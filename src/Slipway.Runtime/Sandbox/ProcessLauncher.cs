using System.Collections.Concurrent;
using System.Diagnostics;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Starts every sandboxed process from one long-lived thread. bwrap's <c>--die-with-parent</c>
/// (PR_SET_PDEATHSIG) fires when the *thread* that forked the child exits, so a thread-pool
/// thread retiring would kill a healthy dyno.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> Queue = [];

    static ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "slipway-sandbox-launcher" };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((startInfo, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (startInfo, started) in Queue.GetConsumingEnumerable())
        {
            try
            {
                var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start.");
                started.SetResult(process);
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
