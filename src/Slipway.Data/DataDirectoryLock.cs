using System.Globalization;

namespace Slipway.Data;

/// <summary>
/// slipwayd's exclusive hold on its data directory, for as long as it runs. A second slipwayd on the same directory would
/// take the first one's dynos for orphans of a crash and reap them, and race it on every table and object. The lock is
/// <c>flock(2)</c> (what <see cref="FileShare.None"/> takes on Unix), so the kernel drops it when the holder dies, kill -9 included.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream held) => _lock = held;

    /// <summary>Takes the lock, or throws <see cref="DataDirectoryInUseException"/> naming the slipwayd that holds it.</summary>
    public static DataDirectoryLock Acquire(string root)
    {
        var lockPath = Path.Combine(root, "slipwayd.lock");
        var pidPath = Path.Combine(root, "slipwayd.pid");
        FileStream held;
        try
        {
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw new DataDirectoryInUseException(root, HolderPid(pidPath), e);
        }

        // The pid goes into a file of its own: reading the locked file would need the lock.
        File.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return new DataDirectoryLock(held);
    }

    public void Dispose() => _lock.Dispose();

    private static int? HolderPid(string pidPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>Another slipwayd runs with this data directory.</summary>
public sealed class DataDirectoryInUseException(string root, int? holderPid, Exception inner) : Exception(
    $"another slipwayd{(holderPid is { } pid ? $" (pid {pid})" : "")} is running with the data directory {root}. " +
    "Stop it first, or give this one its own --data-dir.", inner);
