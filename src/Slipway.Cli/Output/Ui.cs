namespace Slipway.Cli.Output;

/// <summary>
/// How the CLI talks to the person (or script) running it. <see cref="PlainUi"/> writes stable text for
/// pipes and tests; <see cref="AnsiUi"/> adds colour, spinners and progress bars on a terminal.
/// </summary>
internal abstract class Ui(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public virtual void Line(string text = "") => Out.WriteLine(text);

    /// <summary>Heroku's styled header: <c>=== text</c> and a blank line.</summary>
    public virtual void Header(string text)
    {
        Out.WriteLine($"=== {text}");
        Out.WriteLine();
    }

    /// <summary>Aligned <c>KEY: value</c> lines, as Heroku prints config vars and app info.</summary>
    public void KeyValues(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var list = pairs.ToList();
        if (list.Count == 0)
            return;
        var width = list.Max(p => p.Key.Length) + 1;
        foreach (var (key, value) in list)
            Line($"{(key + ":").PadRight(width)} {value}".TrimEnd());
    }

    /// <summary>Rows padded into columns two spaces apart, the last column unpadded.</summary>
    public void Columns(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
            return;
        var count = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, count)
            .Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0))
            .ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]));
            Line(string.Join("  ", cells).TrimEnd());
        }
    }

    /// <summary>Streams text as it arrives (build output).</summary>
    public virtual void Write(string chunk)
    {
        Out.Write(chunk);
        Out.Flush();
    }

    public void Warn(string message) => Err.WriteLine($"slipway: warning: {message}");

    /// <summary>Runs <paramref name="work"/> showing <c>message... done</c> (plus the suffix <paramref name="done"/> returns).</summary>
    public abstract Task<T> ActionAsync<T>(string message, Func<Task<T>> work, Func<T, string?>? done = null);

    public Task ActionAsync(string message, Func<Task> work) =>
        ActionAsync<bool>(message, async () => { await work(); return true; });

    /// <summary>Runs a byte transfer, showing how much of <paramref name="total"/> has gone.</summary>
    public abstract Task TransferAsync(string label, long total, Func<IProgress<long>, Task> work);
}
