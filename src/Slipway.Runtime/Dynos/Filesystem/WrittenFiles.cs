using Slipway.Core.Dynos;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos.Filesystem;

/// <summary>Finds what a dyno wrote to <c>/app</c> since boot: the overlay's upper layer holds exactly that.</summary>
internal static class WrittenFiles
{
    /// <summary>Bounds the walk, so a dyno that wrote millions of files cannot stall its own stop.</summary>
    private const int MaxFiles = 100_000;

    public static DiscardedWrites Summarise(DynoFilesystem filesystem, string appInside, DateTime bootedAtUtc)
    {
        if (Directory.Exists(filesystem.Upper))
        {
            return DiscardedWrites.Summarise(Walk(filesystem.Upper, appInside, _ => true));
        }

        // A copied slug (no overlay): files changed since boot are the writes.
        return Directory.Exists(filesystem.App)
            ? DiscardedWrites.Summarise(Walk(filesystem.App, appInside, f => f.LastWriteTimeUtc >= bootedAtUtc))
            : DiscardedWrites.None;
    }

    private static IEnumerable<(string Path, long Bytes)> Walk(string root, string appInside, Func<FileInfo, bool> written)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var seen = 0;
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", options))
        {
            // Overlay whiteouts (deletions) are character devices, not writes.
            if (FileStat.Kind(file.FullName) != EntryKind.File || !written(file))
            {
                continue;
            }

            if (++seen > MaxFiles)
            {
                yield break;
            }

            yield return (appInside.TrimEnd('/') + "/" + Path.GetRelativePath(root, file.FullName).Replace('\\', '/'), file.Length);
        }
    }
}
