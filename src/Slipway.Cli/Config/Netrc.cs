using System.Text;

namespace Slipway.Cli.Config;

/// <summary>
/// A ~/.netrc file that can be read and edited without disturbing entries it does not own:
/// changing one machine rewrites only that machine's text.
/// </summary>
public sealed class Netrc
{
    private string _text;
    private List<NetrcEntry> _entries;

    private Netrc(string text)
    {
        _text = text;
        _entries = NetrcParser.Parse(text);
    }

    public static Netrc Parse(string text) => new(text);

    public static Netrc Load(string path) => new(File.Exists(path) ? File.ReadAllText(path) : "");

    public IReadOnlyList<NetrcEntry> Entries => _entries;

    public NetrcEntry? Find(string machine) =>
        _entries.LastOrDefault(e => string.Equals(e.Machine, machine, StringComparison.OrdinalIgnoreCase));

    public void Set(string machine, string login, string password)
    {
        var replacement = Format(machine, login, password);
        var existing = Find(machine);
        if (existing is not null)
        {
            Replace(existing.Start, existing.End, replacement);
            return;
        }
        // A new machine goes before a `default` entry, which must stay last.
        var defaultEntry = _entries.FirstOrDefault(e => e.Machine is null);
        if (defaultEntry is not null)
        {
            Replace(defaultEntry.Start, defaultEntry.Start, replacement);
            return;
        }
        var prefix = _text.Length == 0 || _text.EndsWith('\n') ? "" : "\n";
        Replace(_text.Length, _text.Length, prefix + replacement);
    }

    public bool Remove(string machine)
    {
        var existing = Find(machine);
        if (existing is null)
            return false;
        Replace(existing.Start, existing.End, "");
        return true;
    }

    /// <summary>Writes the file atomically with mode 0600: it holds API tokens.</summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".netrc.slipway-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write(_text);
        File.Move(temp, path, overwrite: true);
    }

    public override string ToString() => _text;

    private void Replace(int start, int end, string replacement)
    {
        _text = string.Concat(_text.AsSpan(0, start), replacement, _text.AsSpan(end));
        _entries = NetrcParser.Parse(_text);
    }

    private static string Format(string machine, string login, string password) =>
        $"machine {machine}\n  login {login}\n  password {password}\n";
}

/// <summary>One <c>machine</c> (or <c>default</c>, with a null Machine) entry and where its text lies in the file.</summary>
public sealed record NetrcEntry(string? Machine, string? Login, string? Password, int Start, int End);
