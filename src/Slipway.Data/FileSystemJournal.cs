namespace Slipway.Data;

/// <summary>
/// Whether the data directory sits on an ext2/ext4 file system without a journal. fsync still makes each acknowledged write
/// durable there, but a rename or a new directory entry is not atomic across a power loss: the store's crash guarantees
/// (temp file, fsync, rename, directory fsync, then commit) and SQLite's WAL assume a journaled file system.
/// </summary>
public static class FileSystemJournal
{
    /// <summary>A warning for an unjournaled ext file system under <paramref name="path"/>, or null (journaled, another file system, or unknown).</summary>
    public static string? MissingJournalWarning(string path, string mountInfo = MountTable.MountInfo, string blockDevices = "/sys/dev/block", string journals = "/proc/fs/jbd2")
    {
        try
        {
            if (MountTable.Containing(path, mountInfo) is not { } mount)
            {
                return null;
            }

            if (mount.FileSystem == "ext2")
            {
                return Warning(path, mount);
            }

            // jbd2 names each journal it runs "<block device>-<journal inode>" (vda-8, sda1-8, dm-0-8).
            if (mount.FileSystem != "ext4" || !Directory.Exists(journals)
                || new FileInfo(Path.Combine(blockDevices, mount.Device)).ResolveLinkTarget(returnFinalTarget: false) is not { } device)
            {
                return null;
            }

            return Directory.EnumerateFileSystemEntries(journals, device.Name + "-*").Any() ? null : Warning(path, mount);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Warning(string path, Mount mount) =>
        $"The data directory {path} is on {mount.FileSystem} without a journal ({mount.Source} at {mount.MountPoint}). Each acknowledged write " +
        "is still fsynced, but after a power loss renames and new directory entries may be lost or need fsck. Put the data directory " +
        "on a journaled file system (tune2fs -O has_journal on the unmounted device, or another mount).";
}
