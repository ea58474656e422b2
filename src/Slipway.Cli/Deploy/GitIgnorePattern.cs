using System.Text;
using System.Text.RegularExpressions;

namespace Slipway.Cli.Deploy;

/// <summary>
/// One line of a .gitignore, with git's rules: <c>!</c> re-includes, a trailing <c>/</c> matches only
/// directories, a <c>/</c> at the start or in the middle anchors the pattern to the file's directory
/// (otherwise it matches a name at any depth), <c>**</c> spans directories, <c>*</c>/<c>?</c>/<c>[]</c> do not.
/// </summary>
public sealed class GitIgnorePattern
{
    private readonly Regex _regex;

    private GitIgnorePattern(string source, bool negated, bool directoryOnly, bool anchored, Regex regex)
    {
        Source = source;
        Negated = negated;
        DirectoryOnly = directoryOnly;
        Anchored = anchored;
        _regex = regex;
    }

    public string Source { get; }

    public bool Negated { get; }

    public bool DirectoryOnly { get; }

    public bool Anchored { get; }

    /// <summary>Parses one line; null for blank lines, comments and patterns that can match nothing.</summary>
    public static GitIgnorePattern? Parse(string line)
    {
        var text = TrimTrailingSpaces(line.TrimEnd('\r'));
        if (text.Length == 0 || text[0] == '#')
            return null;
        var negated = false;
        if (text[0] == '!')
        {
            negated = true;
            text = text[1..];
        }
        else if (text.StartsWith("\\!", StringComparison.Ordinal) || text.StartsWith("\\#", StringComparison.Ordinal))
        {
            text = text[1..];
        }
        var directoryOnly = text.EndsWith('/');
        text = text.TrimEnd('/');
        if (text.Length == 0)
            return null;
        var anchored = text.Contains('/', StringComparison.Ordinal);
        text = text.TrimStart('/');
        if (text.Length == 0)
            return null;
        var regex = new Regex(ToRegex(text), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        return new GitIgnorePattern(line, negated, directoryOnly, anchored, regex);
    }

    /// <summary>Does the pattern match <paramref name="relativePath"/> (slash-separated, relative to the ignore file's directory)?</summary>
    public bool IsMatch(string relativePath, bool isDirectory)
    {
        if (DirectoryOnly && !isDirectory)
            return false;
        var subject = Anchored ? relativePath : relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return _regex.IsMatch(subject);
    }

    private static string TrimTrailingSpaces(string text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] == ' ' && !(end > 1 && text[end - 2] == '\\'))
            end--;
        return text[..end];
    }

    private static string ToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        int i = 0;
        while (i < glob.Length)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var atSegmentStart = i == 0 || glob[i - 1] == '/';
                var next = i + 2;
                if (atSegmentStart && next < glob.Length && glob[next] == '/')
                {
                    sb.Append("(?:.*/)?");     // "**/": zero or more directories
                    i = next + 1;
                    continue;
                }
                if (atSegmentStart && next == glob.Length && i > 0)
                {
                    sb.Append(".+");           // "/**" at the end: everything inside
                    i = next;
                    continue;
                }
                sb.Append("[^/]*");            // any other "**" is an ordinary "*"
                i = next;
                continue;
            }
            switch (c)
            {
                case '*':
                    sb.Append("[^/]*");
                    i++;
                    break;
                case '?':
                    sb.Append("[^/]");
                    i++;
                    break;
                case '[':
                    i = AppendClass(glob, i, sb);
                    break;
                case '\\' when i + 1 < glob.Length:
                    sb.Append(Regex.Escape(glob[i + 1].ToString()));
                    i += 2;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    i++;
                    break;
            }
        }
        return sb.Append('$').ToString();
    }

    /// <summary>Translates a bracket expression starting at <paramref name="start"/>; an unclosed one is a literal '['.</summary>
    private static int AppendClass(string glob, int start, StringBuilder sb)
    {
        int i = start + 1;
        var cls = new StringBuilder("[");
        if (i < glob.Length && (glob[i] == '!' || glob[i] == '^'))
        {
            cls.Append('^');
            i++;
        }
        var first = true;
        while (i < glob.Length && (glob[i] != ']' || first))
        {
            var c = glob[i];
            if (c == '\\' && i + 1 < glob.Length)
            {
                c = glob[++i];
                cls.Append('\\').Append(c);
            }
            else if (c == '-' && !first && i + 1 < glob.Length && glob[i + 1] != ']')
            {
                cls.Append('-');
            }
            else if (c is '\\' or '[' or ']' or '^' or '-')
            {
                cls.Append('\\').Append(c);
            }
            else
            {
                cls.Append(c);
            }
            first = false;
            i++;
        }
        if (i >= glob.Length)
        {
            sb.Append("\\[");
            return start + 1;
        }
        // A slash never matches inside a class: gitignore classes match one name character.
        sb.Append("(?!/)").Append(cls).Append(']');
        return i + 1;
    }
}
