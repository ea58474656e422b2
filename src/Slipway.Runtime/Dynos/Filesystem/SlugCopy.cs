using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos.Filesystem;

/// <summary>
/// Copies a slug into a dyno's <c>/app</c> when no overlay can be mounted (unisolated or not root):
/// directories, files with their modes, and symlinks as links, never followed.
/// </summary>
internal static class SlugCopy
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, chowning every entry to <paramref name="ownerUid"/> when set.</summary>
    public static void Copy(string source, string destination, int? ownerUid)
    {
        var sourceInfo = new DirectoryInfo(source);
        Directory.CreateDirectory(destination);
        File.SetUnixFileMode(destination, sourceInfo.UnixFileMode);
        Own(destination, ownerUid);
        foreach (var entry in sourceInfo.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                Copy(directory.FullName, target, ownerUid);
                continue;
            }
            else
            {
                // Slugs hold only directories, files and links: intake rejects devices and fifos.
                var file = (FileInfo)entry;
                file.CopyTo(target);
                File.SetUnixFileMode(target, file.UnixFileMode);
            }

            Own(target, ownerUid);
        }
    }

    private static void Own(string path, int? ownerUid)
    {
        if (ownerUid is { } uid)
        {
            Libc.Chown(path, uid, uid);
        }
    }
}
