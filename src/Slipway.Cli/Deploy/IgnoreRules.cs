namespace Slipway.Cli.Deploy;

/// <summary>
/// The ignore files that apply inside one directory, from the root down. A deeper file overrides a
/// shallower one, and in the same directory .slipwayignore overrides .gitignore, as a later line would.
/// </summary>
public sealed class IgnoreRules
{
    public static readonly string[] FileNames = [".gitignore", ".slipwayignore"];

    private readonly IReadOnlyList<GitIgnore> _files;

    public IgnoreRules(IReadOnlyList<GitIgnore> files) => _files = files;

    public static IgnoreRules Empty { get; } = new([]);

    /// <summary>These rules plus the ignore files found in <paramref name="directory"/> (relative path <paramref name="relative"/>).</summary>
    public IgnoreRules WithFilesIn(string directory, string relative)
    {
        var added = new List<GitIgnore>();
        foreach (var name in FileNames)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
                added.Add(GitIgnore.Parse(File.ReadAllText(path), relative));
        }
        return added.Count == 0 ? this : new IgnoreRules([.. _files, .. added]);
    }

    public bool IsIgnored(string path, bool isDirectory)
    {
        for (int i = _files.Count - 1; i >= 0; i--)
        {
            if (_files[i].Decide(path, isDirectory) is { } decision)
                return decision;
        }
        return false;
    }
}
