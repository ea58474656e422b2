namespace Slipway.Core.Dynos;

/// <summary>A dyno as the API reports it (<c>GET /apps/{app}/dynos</c>).</summary>
public sealed record DynoRecord
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Command { get; init; }

    public required string Size { get; init; }

    public required DynoState State { get; init; }

    public required string ReleaseId { get; init; }

    public required int ReleaseVersion { get; init; }

    public int? Port { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
