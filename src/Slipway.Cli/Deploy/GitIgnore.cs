namespace Slipway.Cli.Deploy;

/// <summary>The patterns of one ignore file (.gitignore or .slipwayignore), relative to the directory holding it.</summary>
public sealed class GitIgnore
{
    private readonly List<GitIgnorePattern> _patterns;

    public GitIgnore(string baseDirectory, IEnumerable<GitIgnorePattern> patterns)
    {
        BaseDirectory = baseDirectory.Trim('/');
        _patterns = [.. patterns];
    }

    /// <summary>Slash-separated path of the file's directory relative to the source root; empty for the root.</summary>
    public string BaseDirectory { get; }

    public IReadOnlyList<GitIgnorePattern> Patterns => _patterns;

    public static GitIgnore Parse(string text, string baseDirectory = "") =>
        new(baseDirectory, text.Split('\n').Select(GitIgnorePattern.Parse).OfType<GitIgnorePattern>());

    /// <summary>
    /// True if the last matching pattern ignores the path, false if it re-includes it (<c>!</c>),
    /// null if no pattern here speaks about it. <paramref name="path"/> is relative to the source root.
    /// </summary>
    public bool? Decide(string path, bool isDirectory)
    {
        string relative;
        if (BaseDirectory.Length == 0)
            relative = path;
        else if (path.StartsWith(BaseDirectory + "/", StringComparison.Ordinal))
            relative = path[(BaseDirectory.Length + 1)..];
        else
            return null;
        for (int i = _patterns.Count - 1; i >= 0; i--)
        {
            if (_patterns[i].IsMatch(relative, isDirectory))
                return !_patterns[i].Negated;
        }
        return null;
    }
}
