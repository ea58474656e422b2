namespace Slipway.Cli;

/// <summary>An error the user can act on; printed as <c>slipway: message</c> and exit code 1.</summary>
public class CliException(string message, string? errorId = null) : Exception(message)
{
    public string? ErrorId { get; } = errorId;

    public virtual int ExitCode => ExitCodes.Error;
}

/// <summary>The command line was wrong (missing app, malformed argument); exit code 2.</summary>
public sealed class UsageException(string message) : CliException(message)
{
    public override int ExitCode => ExitCodes.Usage;
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;
}
