using Spectre.Console;

namespace Slipway.Cli.Output;

/// <summary>Terminal output through Spectre.Console: bold headers, spinners, a live upload bar.</summary>
internal sealed class AnsiUi : Ui
{
    private readonly IAnsiConsole _console;

    public AnsiUi(TextWriter output, TextWriter error) : base(output, error)
    {
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
    }

    public override void Header(string text)
    {
        _console.MarkupLine($"[bold]=== {Markup.Escape(text)}[/]");
        _console.WriteLine();
    }

    public override async Task<T> ActionAsync<T>(string message, Func<Task<T>> work, Func<T, string?>? done = null)
    {
        T result;
        try
        {
            result = await _console.Status()
                .Spinner(Spinner.Known.Dots)
                .StartAsync($"{Markup.Escape(message)}...", _ => work());
        }
        catch
        {
            _console.MarkupLine($"{Markup.Escape(message)}... [red]![/]");
            throw;
        }
        var suffix = done?.Invoke(result);
        var tail = string.IsNullOrEmpty(suffix) ? "" : $", {Markup.Escape(suffix)}";
        _console.MarkupLine($"{Markup.Escape(message)}... [green]done[/]{tail}");
        return result;
    }

    public override async Task TransferAsync(string label, long total, Func<IProgress<long>, Task> work)
    {
        await _console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(total, 1));
                await work(new SyncProgress(v => task.Value = v));
                task.Value = task.MaxValue;
            });
    }

    /// <summary>Reports on the caller's thread; <see cref="Progress{T}"/> would post to the thread pool.</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
