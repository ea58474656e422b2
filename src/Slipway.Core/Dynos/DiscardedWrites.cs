using System.Globalization;

namespace Slipway.Core.Dynos;

/// <summary>Files a dyno wrote since boot (and will lose when it stops), summarised by directory.</summary>
public sealed record DiscardedWrites(long Files, long Bytes, IReadOnlyList<DirectoryWrites> Directories)
{
    /// <summary>How many directories a summary names; the rest are counted, not listed.</summary>
    public const int MaxDirectories = 5;

    public static DiscardedWrites None { get; } = new(0, 0, []);

    /// <summary>Summarises written files (paths as the dyno sees them, e.g. <c>/app/a/b.png</c>) by their directory, largest first.</summary>
    public static DiscardedWrites Summarise(IEnumerable<(string Path, long Bytes)> files)
    {
        var byDirectory = new Dictionary<string, (long Files, long Bytes)>(StringComparer.Ordinal);
        long count = 0, total = 0;
        foreach (var (path, bytes) in files)
        {
            var directory = System.IO.Path.GetDirectoryName(path)?.Replace('\\', '/') ?? "/";
            var (f, b) = byDirectory.GetValueOrDefault(directory);
            byDirectory[directory] = (f + 1, b + bytes);
            count++;
            total += bytes;
        }

        var directories = byDirectory.OrderByDescending(d => d.Value.Bytes).ThenByDescending(d => d.Value.Files).ThenBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => new DirectoryWrites(d.Key, d.Value.Files, d.Value.Bytes)).ToList();
        return new DiscardedWrites(count, total, directories);
    }

    /// <summary>The log line at stop: <c>Discarded 3 files (1.2 MB) written since boot under /app/uploads — …</c>.</summary>
    public string Describe(string verb = "Discarded")
    {
        var shown = Directories.Take(MaxDirectories).ToList();
        var where = shown.Count == 1
            ? $"under {shown[0].Path}"
            : "under " + string.Join(", ", shown.Select(d => $"{d.Path} ({Plural(d.Files, "file")}, {Size(d.Bytes)})"))
                + (Directories.Count > shown.Count ? $" and {Plural(Directories.Count - shown.Count, "more directory", "more directories")}" : "");
        return $"{verb} {Plural(Files, "file")} ({Size(Bytes)}) written since boot {where} — the filesystem is ephemeral; keep files in the storage add-on";
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
    };

    private static string Plural(long n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}

public sealed record DirectoryWrites(string Path, long Files, long Bytes);
