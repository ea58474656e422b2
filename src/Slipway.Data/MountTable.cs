namespace Slipway.Data;

/// <summary>This process's mount table (<c>/proc/self/mountinfo</c>): what is mounted where, of which type, from which device.</summary>
public static class MountTable
{
    public const string MountInfo = "/proc/self/mountinfo";

    /// <summary>Whether <paramref name="path"/> is itself a mount point, so that nothing is deleted through a mount that is still there.</summary>
    public static bool IsMountPoint(string path, string mountInfo = MountInfo)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        return Read(mountInfo).Any(m => m.MountPoint == full);
    }

    /// <summary>The mount <paramref name="path"/> lies on: the longest mount point that contains it (the last of equal ones, which covers the others).</summary>
    public static Mount? Containing(string path, string mountInfo = MountInfo)
    {
        var full = Path.GetFullPath(path);
        Mount? best = null;
        foreach (var mount in Read(mountInfo))
        {
            var point = mount.MountPoint;
            var covers = point == "/" || full == point || full.StartsWith(point + "/", StringComparison.Ordinal);
            if (covers && (best is null || point.Length >= best.MountPoint.Length))
            {
                best = mount;
            }
        }

        return best;
    }

    private static IEnumerable<Mount> Read(string mountInfo)
    {
        foreach (var line in File.ReadLines(mountInfo))
        {
            // id parent major:minor root mount-point options [optional fields…] - type source super-options
            var fields = line.Split(' ');
            var separator = fields.Length > 6 ? Array.IndexOf(fields, "-", 6) : -1;
            if (separator >= 0 && separator + 2 < fields.Length)
            {
                yield return new Mount(Unescape(fields[4]), fields[2], fields[separator + 1], Unescape(fields[separator + 2]));
            }
        }
    }

    // The kernel octal-escapes exactly these four in mount points and sources.
    private static string Unescape(string field) => field
        .Replace("\\040", " ", StringComparison.Ordinal)
        .Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal)
        .Replace("\\134", "\\", StringComparison.Ordinal);
}

/// <summary>One line of the mount table: where, the device as <c>major:minor</c>, the file system type, and its source (<c>/dev/vda</c>).</summary>
public sealed record Mount(string MountPoint, string Device, string FileSystem, string Source);
