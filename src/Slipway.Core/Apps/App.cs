namespace Slipway.Core.Apps;

public sealed record App
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string OwnerId { get; init; }

    public required string OwnerEmail { get; init; }

    /// <summary>A per-app sequence number; the app's unprivileged host uid is derived from it.</summary>
    public required long Sequence { get; init; }

    public bool Maintenance { get; init; }

    public string? BuildpackDescription { get; init; }

    public long? SlugSize { get; init; }

    public DateTimeOffset? ReleasedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
