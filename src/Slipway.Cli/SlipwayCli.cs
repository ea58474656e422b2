using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Slipway.Cli.Commands;

namespace Slipway.Cli;

/// <summary>Entry points of the <c>slipway</c> command-line client.</summary>
public static class SlipwayCli
{
    public static string Version { get; } =
        typeof(SlipwayCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// Runs the CLI in-process with plain (non-terminal) output. Returns the exit code: 0 ok, 1 error, 2 usage.
    /// <paramref name="env"/> is the whole environment the CLI sees (null: the process environment);
    /// <paramref name="workingDirectory"/> stands in for the current directory (app inference, deploy).
    /// </summary>
    public static Task<int> InvokeAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        IDictionary<string, string>? env = null,
        string? workingDirectory = null,
        TextReader? input = null,
        CancellationToken ct = default) =>
        InvokeAsync(args, new CliHost
        {
            Out = output,
            Error = error,
            In = input ?? TextReader.Null,
            Environment = env is null ? null : new Dictionary<string, string>(env),
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        }, ct);

    public static async Task<int> InvokeAsync(string[] args, CliHost host, CancellationToken ct = default)
    {
        using var context = new CliContext(host);
        var root = CommandTree.Build(context);
        if (args is [Commands.Completion.CompletionCommand.Name, var line])
            return Commands.Completion.CompletionCommand.Complete(root, line.TrimStart(), host.Out);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
        };
        if (parse.Action is ParseErrorAction)
        {
            foreach (var parseError in parse.Errors)
                host.Error.WriteLine($"slipway: {parseError.Message}");
            var command = parse.CommandResult.Command;
            host.Error.WriteLine(command == root
                ? "See 'slipway --help'."
                : $"See 'slipway {command.Name} --help'.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(config, ct);
        }
        catch (CliException e)
        {
            await host.Out.FlushAsync(CancellationToken.None);
            host.Error.WriteLine($"slipway: {e.Message}");
            if (e.ErrorId is not null)
                host.Error.WriteLine($"Error ID: {e.ErrorId}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            host.Error.WriteLine("slipway: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or System.Text.Json.JsonException)
        {
            host.Error.WriteLine($"slipway: {e.Message}");
            return ExitCodes.Error;
        }
    }

    /// <summary>The real process: console streams, Ctrl+C cancels, terminal detection.</summary>
    public static async Task<int> RunConsoleAsync(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested)
                return;
            e.Cancel = true;
            cts.Cancel();
        };
        var isTerminal = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        var host = new CliHost
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            IsOutputTerminal = isTerminal,
            IsInputTerminal = !Console.IsInputRedirected,
            CanLaunchBrowser = isTerminal,
        };
        return await InvokeAsync(args, host, cts.Token);
    }
}
