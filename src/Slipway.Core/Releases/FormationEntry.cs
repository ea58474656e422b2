namespace Slipway.Core.Releases;

/// <summary>One process type's desired scale: how many dynos of which size run which command.</summary>
public sealed record FormationEntry
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string Type { get; init; }

    public required string Command { get; init; }

    public required int Quantity { get; init; }

    public required string Size { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
