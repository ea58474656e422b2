namespace Slipway.Core.Builds;

public static class BuildStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

public sealed record BuildRecord
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string UserId { get; init; }

    public required string UserEmail { get; init; }

    public required string Status { get; init; }

    public string? SourceUrl { get; init; }

    public string? SourceVersion { get; init; }

    public string? SourceChecksum { get; init; }

    public IReadOnlyList<string> Buildpacks { get; init; } = [];

    public string? SlugId { get; init; }

    public string? ReleaseId { get; init; }

    public string? Failure { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
