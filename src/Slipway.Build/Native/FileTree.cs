using Slipway.Runtime.Sandbox;

namespace Slipway.Build.Native;

/// <summary>Walks and inspects trees without ever following a symlink (the trees hold untrusted app content).</summary>
internal static class FileTree
{
    public static EntryKind Kind(string path) => FileStat.Kind(path);

    /// <summary>Enumeration that hides nothing: .NET skips "hidden" (dot) files by default, and .profile.d or .slugignore matter.</summary>
    public static EnumerationOptions AllEntries { get; } = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    /// <summary>The direct children of <paramref name="directory"/>, dot-files included.</summary>
    public static IEnumerable<string> Children(string directory) => Directory.EnumerateFileSystemEntries(directory, "*", AllEntries);

    /// <summary>Every entry below <paramref name="root"/> (parents before children), not descending into symlinks.</summary>
    public static IEnumerable<(FileSystemInfo Info, EntryKind Kind)> Walk(string root)
    {
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var info in directory.EnumerateFileSystemInfos("*", AllEntries).OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var kind = Kind(info.FullName);
                yield return (info, kind);
                if (kind == EntryKind.Directory)
                {
                    pending.Push((DirectoryInfo)info);
                }
            }
        }
    }

    /// <summary>Deletes a tree (symlinks are removed, not followed); tolerant of a missing path.</summary>
    public static void DeleteTree(string path)
    {
        switch (Kind(path))
        {
            case EntryKind.Missing:
                return;
            case EntryKind.Directory:
                try
                {
                    Directory.Delete(path, recursive: true);
                }
                catch (UnauthorizedAccessException)
                {
                    // A build may leave read-only directories behind; make them writable and retry.
                    foreach (var (info, kind) in Walk(path))
                    {
                        if (kind == EntryKind.Directory)
                        {
                            info.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                        }
                    }

                    Directory.Delete(path, recursive: true);
                }

                return;
            default:
                File.Delete(path);
                return;
        }
    }

    /// <summary>Recursively copies a trusted tree (the built-in buildpacks), keeping file modes.</summary>
    public static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var (info, kind) in Walk(source))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, info.FullName));
            switch (kind)
            {
                case EntryKind.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case EntryKind.File:
                    File.Copy(info.FullName, target, overwrite: true);
                    File.SetUnixFileMode(target, info.UnixFileMode);
                    break;
                case EntryKind.Symlink:
                    File.CreateSymbolicLink(target, info.LinkTarget!);
                    break;
            }
        }
    }
}
