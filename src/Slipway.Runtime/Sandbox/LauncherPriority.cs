using System.Runtime.InteropServices;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Raises the launcher thread's CPU weight (nice <see cref="Nice"/>) so a burst of starts is not serialised behind the
/// run queue: every fork waits on this one thread, which in a 200-dyno burst spent ~16 of its ~28 ms per start runnable
/// but not running, against ~1.5 ms of its own CPU. SCHED_RESET_ON_FORK gives every child nice 0 and the default policy
/// again, so no tree (and no app) inherits the weight.
/// </summary>
internal static partial class LauncherPriority
{
    public const int Nice = -10;

    private const int SCHED_OTHER = 0;
    private const int SCHED_RESET_ON_FORK = 0x40000000;
    private const int PRIO_PROCESS = 0;

    /// <summary>Applies to the calling thread only; returns false (and changes nothing that matters) without CAP_SYS_NICE.</summary>
    public static bool RaiseCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // Reset-on-fork first: a raised thread without it would hand its weight to the next child it forks.
        var param = 0;
        if (sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, ref param) != 0)
        {
            return false;
        }

        // PRIO_PROCESS with a thread id sets that thread's nice alone on Linux.
        return setpriority(PRIO_PROCESS, (uint)gettid(), Nice) == 0;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setscheduler(int pid, int policy, ref int param);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);

    [LibraryImport("libc")]
    private static partial int gettid();
}
