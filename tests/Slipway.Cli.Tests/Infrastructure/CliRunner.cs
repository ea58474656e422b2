namespace Slipway.Cli.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Out, string Err);

/// <summary>Runs the CLI in-process with an isolated environment (no real HOME, no inherited token).</summary>
public sealed class CliRunner
{
    public Dictionary<string, string> Environment { get; } = [];

    public string WorkingDirectory { get; set; } = Path.GetTempPath();

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public string Input { get; set; } = "";

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost
        {
            Out = output,
            Error = error,
            In = new StringReader(Input),
            Environment = new Dictionary<string, string>(Environment),
            WorkingDirectory = WorkingDirectory,
            Time = Time,
        };
        var code = await SlipwayCli.InvokeAsync(args, host, TestContext.Current.CancellationToken);
        return new CliResult(code, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString());
    }
}
