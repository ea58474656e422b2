namespace Slipway.Core.Releases;

/// <summary>Release status, as the Platform API names it.</summary>
public static class ReleaseStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Expired = "expired";
}

/// <summary>vN of an app: a slug plus a snapshot of the config vars.</summary>
public sealed record Release
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required int Version { get; init; }

    public required string Description { get; init; }

    public required string Status { get; init; }

    public string? SlugId { get; init; }

    public required IReadOnlyDictionary<string, string> Config { get; init; }

    public required string UserId { get; init; }

    public required string UserEmail { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
