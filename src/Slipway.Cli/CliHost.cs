namespace Slipway.Cli;

/// <summary>Everything the CLI reads from or writes to its surroundings, so it can run in-process in tests.</summary>
public sealed record CliHost
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>
    /// The whole environment the CLI sees (SLIPWAY_API_URL, SLIPWAY_API_KEY, SLIPWAY_APP, HOME).
    /// Null means the process environment. Without HOME no ~/.netrc is read or written.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Stdout is a terminal: colours, spinners and progress bars instead of plain text.</summary>
    public bool IsOutputTerminal { get; init; }

    /// <summary>Stdin is a terminal: prompts read keys with hidden echo for passwords.</summary>
    public bool IsInputTerminal { get; init; }

    /// <summary>May open a browser (<c>slipway open</c>).</summary>
    public bool CanLaunchBrowser { get; init; }
}
