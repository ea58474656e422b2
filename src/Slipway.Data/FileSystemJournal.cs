namespace Slipway.Data;

/// <summary>
/// Whether the data directory sits on an ext2/ext4 file system without a journal. fsync still makes each acknowledged write
/// durable there, but a rename or a new directory entry is not atomic across a power loss: the store's crash guarantees
/// (temp file, fsync, rename, directory fsync, then commit) and SQLite's WAL assume a journaled file system.
/// </summary>
public static class FileSystemJournal
{
    /// <summary>A warning for an unjournaled ext file system under <paramref name="path"/>, or null (journaled, another file system, or unknown).</summary>
    public static string? MissingJournalWarning(string path, string mountInfo = "/proc/self/mountinfo", string blockDevices = "/sys/dev/block", string journals = "/proc/fs/jbd2")
    {
        try
        {
            if (!File.Exists(mountInfo) || FindMount(File.ReadAllLines(mountInfo), Path.GetFullPath(path)) is not { } mount)
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

    /// <summary>The mount (of /proc/self/mountinfo's lines) whose mount point is the longest prefix of <paramref name="fullPath"/>.</summary>
    private static Mount? FindMount(IEnumerable<string> lines, string fullPath)
    {
        Mount? best = null;
        foreach (var line in lines)
        {
            // id parent major:minor root mount-point options [optional fields…] - type source super-options
            var fields = line.Split(' ');
            var separator = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
            if (separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }

            var point = Unescape(fields[4]);
            var covers = point == "/" || fullPath == point || fullPath.StartsWith(point + "/", StringComparison.Ordinal);
            if (covers && (best is null || point.Length >= best.MountPoint.Length))
            {
                best = new Mount(point, fields[2], fields[separator + 1], Unescape(fields[separator + 2]));
            }
        }

        return best;
    }

    private static string Warning(string path, Mount mount) =>
        $"The data directory {path} is on {mount.FileSystem} without a journal ({mount.Source} at {mount.MountPoint}). Each acknowledged write " +
        "is still fsynced, but after a power loss renames and new directory entries may be lost or need fsck. Put the data directory " +
        "on a journaled file system (tune2fs -O has_journal on the unmounted device, or another mount).";

    // mountinfo escapes space, tab, newline and backslash as three octal digits (\040).
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3) is var octal && octal[0] is >= '0' and <= '3'
                && octal[1] is >= '0' and <= '7' && octal[2] is >= '0' and <= '7')
            {
                text.Append((char)(((octal[0] - '0') << 6) | ((octal[1] - '0') << 3) | (octal[2] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private sealed record Mount(string MountPoint, string Device, string FileSystem, string Source);
}
