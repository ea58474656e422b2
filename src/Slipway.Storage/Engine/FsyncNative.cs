using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Storage.Engine;

/// <summary>fsync(2) of files and of directories (which .NET cannot open as files), so that a rename in them is durable.</summary>
internal static partial class FsyncNative
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC

    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {path} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>fsync(2) of an open file handle (data and metadata), before it is renamed into place.</summary>
    public static void Fsync(SafeFileHandle file)
    {
        if (FsyncHandle(file) != 0)
        {
            throw new IOException($"fsync failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>
    /// Starts writing a range of the file to disk without waiting (sync_file_range(2), SYNC_FILE_RANGE_WRITE), so the
    /// disk works while the rest of the body arrives and the final fsync has less left to do. Only a hint: durability
    /// still comes from <see cref="Fsync(SafeFileHandle)"/>, and a file system that refuses it loses nothing.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count) => _ = SyncFileRange(file, offset, count, SyncFileRangeWrite);

    private const uint SyncFileRangeWrite = 2;

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncHandle(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
