namespace Slipway.Core.Apps;

/// <summary>A compiled app: the archive in the object store plus the process types it declares.</summary>
public sealed record Slug
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> ProcessTypes { get; init; }

    public string? BuildpackDescription { get; init; }

    public required long Size { get; init; }

    public required string Checksum { get; init; }

    public string? Commit { get; init; }

    public required string Stack { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string? CommandFor(string type) => ProcessTypes.FirstOrDefault(p => p.Key == type).Value;
}
