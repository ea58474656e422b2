using Slipway.Runtime.Sandbox;
using Slipway.Build.Native;

namespace Slipway.Build.Sources;

/// <summary>
/// Checks that every symlink in a tree resolves inside it, following links the way the kernel would (a chain such
/// as <c>d/up -&gt; ..</c> plus <c>x -&gt; d/up/../etc</c> passes a per-link check but escapes).
/// </summary>
internal static class SymlinkVerifier
{
    private const int MaxHops = 40; // Linux's own limit (MAXSYMLINKS).

    public static void Verify(string root)
    {
        foreach (var (info, kind) in FileTree.Walk(root))
        {
            if (kind != EntryKind.Symlink)
            {
                continue;
            }

            var relative = Path.GetRelativePath(root, info.FullName);
            if (Resolve(root, relative) is { } problem)
            {
                throw new SourceArchiveException($"Refused archive entry '{relative}': it is a symbolic link to '{info.LinkTarget}', which {problem}.");
            }
        }
    }

    /// <summary>Returns why the link at <paramref name="linkPath"/> escapes <paramref name="root"/>, or null when it stays inside.</summary>
    public static string? Resolve(string root, string linkPath)
    {
        var resolved = linkPath.Split('/').ToList();
        resolved.RemoveAt(resolved.Count - 1);
        var pending = new LinkedList<string>(ReadLink(root, linkPath).Split('/'));
        var hops = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var part = first.Value;
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count == 0)
                {
                    return "resolves outside the archive";
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            resolved.Add(part);
            var current = string.Join('/', resolved);
            if (FileTree.Kind(Path.Combine(root, current)) != EntryKind.Symlink)
            {
                continue;
            }

            if (++hops > MaxHops)
            {
                return "is part of a symbolic link loop";
            }

            var target = ReadLink(root, current);
            if (target.StartsWith('/'))
            {
                return "resolves outside the archive";
            }

            resolved.RemoveAt(resolved.Count - 1);
            foreach (var next in target.Split('/').Reverse())
            {
                pending.AddFirst(next);
            }
        }

        return null;
    }

    private static string ReadLink(string root, string relative) =>
        new FileInfo(Path.Combine(root, relative)).LinkTarget ?? "";
}
