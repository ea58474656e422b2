using Slipway.Runtime.Sandbox;
using System.Text;
using System.Text.RegularExpressions;
using Slipway.Build.Native;

namespace Slipway.Build.Compile;

/// <summary>
/// A <c>.slugignore</c>: gitignore-like patterns of files removed before the build. A pattern without a slash matches a
/// name at any depth; with one it is anchored at the root; a trailing slash matches only directories; <c>*</c>, <c>?</c>,
/// <c>[...]</c> and <c>**</c> work as in gitignore, and <c>!</c> keeps a path an earlier pattern removed.
/// </summary>
public sealed class SlugIgnore
{
    private readonly List<(Regex Regex, bool DirectoryOnly, bool Negated)> _rules = [];

    public SlugIgnore(string text)
    {
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var negated = line.StartsWith('!');
            if (negated)
            {
                line = line[1..];
            }

            var directoryOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            var anchored = line.Contains('/');
            line = line.TrimStart('/');
            if (line.Length == 0)
            {
                continue;
            }

            _rules.Add((new Regex((anchored ? "^" : "^(?:.*/)?") + Translate(line) + "$", RegexOptions.CultureInvariant), directoryOnly, negated));
        }
    }

    public bool IsEmpty => _rules.Count == 0;

    /// <summary>True when <paramref name="relativePath"/> (slash-separated) is to be removed.</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        var ignored = false;
        foreach (var (regex, directoryOnly, negated) in _rules)
        {
            if ((!directoryOnly || isDirectory) && regex.IsMatch(relativePath))
            {
                ignored = !negated;
            }
        }

        return ignored;
    }

    /// <summary>Removes every matching entry below <paramref name="root"/> (symlinks are removed, never followed); returns how many.</summary>
    public int Apply(string root) => Apply(root, "");

    private int Apply(string root, string relativeDirectory)
    {
        var removed = 0;
        var directory = relativeDirectory.Length == 0 ? root : Path.Combine(root, relativeDirectory);
        foreach (var full in FileTree.Children(directory).Order(StringComparer.Ordinal).ToList())
        {
            var relative = relativeDirectory.Length == 0 ? Path.GetFileName(full) : relativeDirectory + "/" + Path.GetFileName(full);
            var kind = FileTree.Kind(full);
            if (IsIgnored(relative, kind == EntryKind.Directory))
            {
                FileTree.DeleteTree(full);
                removed++;
            }
            else if (kind == EntryKind.Directory)
            {
                removed += Apply(root, relative);
            }
        }

        return removed;
    }

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    i++;
                    if (i + 1 < glob.Length && glob[i + 1] == '/')
                    {
                        i++;
                        regex.Append("(?:.*/)?"); // "**/" : zero or more directories.
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = glob[(i + 1)..close];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.ToString();
    }
}
