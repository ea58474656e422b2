namespace Slipway.Cli.Deploy;

/// <summary>
/// Walks a source directory the way git would see it: skips <c>.git</c>, honours .gitignore and
/// .slipwayignore at every level, never follows symbolic links, and keeps only relative links that
/// stay inside the tree (an archive with others would be refused by the build, or leak the host).
/// </summary>
public static class SourceTree
{
    public static IEnumerable<SourceEntry> Enumerate(string root, Action<string>? warn = null)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"{root} is not a directory.");
        return Walk(full, full, "", IgnoreRules.Empty.WithFilesIn(full, ""), warn ?? (_ => { }));
    }

    private static IEnumerable<SourceEntry> Walk(string root, string directory, string relative, IgnoreRules rules, Action<string> warn)
    {
        var children = new DirectoryInfo(directory)
            .EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false, IgnoreInaccessible = false })
            .OrderBy(i => i.Name, StringComparer.Ordinal);
        foreach (var child in children)
        {
            var path = relative.Length == 0 ? child.Name : $"{relative}/{child.Name}";
            if (child.LinkTarget is { } target)
            {
                // git treats a link as a file, even one pointing at a directory.
                if (rules.IsIgnored(path, isDirectory: false))
                    continue;
                if (IsInside(root, directory, target))
                    yield return new SourceEntry(path, child.FullName, SourceEntryKind.SymbolicLink, target);
                else
                    warn($"skipping symbolic link {path} -> {target}: it points outside the source directory");
                continue;
            }
            if (child is DirectoryInfo dir)
            {
                if (child.Name == ".git" || rules.IsIgnored(path, isDirectory: true))
                    continue;
                yield return new SourceEntry(path, dir.FullName, SourceEntryKind.Directory);
                foreach (var entry in Walk(root, dir.FullName, path, rules.WithFilesIn(dir.FullName, path), warn))
                    yield return entry;
                continue;
            }
            if (!rules.IsIgnored(path, isDirectory: false))
                yield return new SourceEntry(path, child.FullName, SourceEntryKind.File);
        }
    }

    private static bool IsInside(string root, string linkDirectory, string target)
    {
        if (Path.IsPathRooted(target))
            return false;
        var resolved = Path.GetFullPath(Path.Combine(linkDirectory, target));
        return resolved == root || resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
