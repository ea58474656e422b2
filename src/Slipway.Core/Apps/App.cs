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

    /// <summary>The size of its web process type, if it has one: decides its tier (free, eco, …).</summary>
    public string? WebSize { get; init; }

    /// <summary>Heroku's <c>process_tier</c>: <c>free</c> and <c>eco</c> apps sleep and draw from a monthly pool.</summary>
    public string ProcessTier => WebSize switch
    {
        "free" => "free",
        "eco" => "eco",
        "standard-1x" or "standard-2x" or "performance-m" or "performance-l" => "production",
        _ => "basic",
    };

    /// <summary>Its free dynos are asleep until the next request wakes them.</summary>
    public bool Sleeping { get; init; }

    public string? BuildpackDescription { get; init; }

    public long? SlugSize { get; init; }

    public DateTimeOffset? ReleasedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
