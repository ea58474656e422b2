namespace Slipway.Data.Domains;

/// <summary>A custom hostname an app answers on, besides its default <c>{app}.{domain}</c>.</summary>
public sealed record Domain
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string Hostname { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
