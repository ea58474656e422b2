namespace Slipway.Cli.Commands.Logs;

internal sealed record LogSessionResource
{
    public string? Id { get; init; }
    public string LogplexUrl { get; init; } = "";
}

internal sealed record LogDrainResource
{
    public string? Id { get; init; }
    public string Url { get; init; } = "";
    public string? Token { get; init; }
    public long? Dropped { get; init; }
}
