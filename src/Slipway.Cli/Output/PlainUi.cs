namespace Slipway.Cli.Output;

/// <summary>Stable, uncoloured output for pipes, scripts and tests.</summary>
internal sealed class PlainUi(TextWriter output, TextWriter error) : Ui(output, error)
{
    public override async Task<T> ActionAsync<T>(string message, Func<Task<T>> work, Func<T, string?>? done = null)
    {
        Out.Write($"{message}... ");
        Out.Flush();
        T result;
        try
        {
            result = await work();
        }
        catch
        {
            Out.WriteLine("!");
            throw;
        }
        var suffix = done?.Invoke(result);
        Out.WriteLine(string.IsNullOrEmpty(suffix) ? "done" : $"done, {suffix}");
        return result;
    }

    public override Task TransferAsync(string label, long total, Func<IProgress<long>, Task> work) =>
        ActionAsync($"{label} ({ByteSize.Format(total)})", async () => { await work(new Progress<long>()); return true; });
}
