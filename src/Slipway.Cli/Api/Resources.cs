namespace Slipway.Cli.Api;

// Platform API v3 resource shapes; only the fields the CLI reads. Unknown fields are ignored.

public sealed record NamedRef
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

public sealed record UserRef
{
    public string? Id { get; init; }
    public string? Email { get; init; }
}

public sealed record AppResource
{
    public string? Id { get; init; }
    public string Name { get; init; } = "";
    public UserRef? Owner { get; init; }
    public NamedRef? Region { get; init; }
    public NamedRef? Stack { get; init; }
    public string? WebUrl { get; init; }
    public string? GitUrl { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? ReleasedAt { get; init; }
    public long? SlugSize { get; init; }
    public long? RepoSize { get; init; }
    public string? BuildpackProvidedDescription { get; init; }
    public string? ProcessTier { get; init; }
    public bool? Maintenance { get; init; }
}

public sealed record AccountResource
{
    public string? Id { get; init; }
    public string? Email { get; init; }
    public string? Name { get; init; }
    public bool? Verified { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Only in the answer to <c>POST /accounts</c> when the server generated the password.</summary>
    public string? Password { get; init; }
}

public sealed record ReleaseResource
{
    public string? Id { get; init; }
    public int Version { get; init; }
    public string? Description { get; init; }
    public string? Status { get; init; }
    public bool Current { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public UserRef? User { get; init; }
    public NamedRef? Slug { get; init; }
}

public sealed record FormationResource
{
    public string? Id { get; init; }
    public string Type { get; init; } = "";
    public string? Command { get; init; }
    public int Quantity { get; init; }
    public string? Size { get; init; }
    public NamedRef? DynoSize { get; init; }

    public string DisplaySize => Size ?? DynoSize?.Name ?? "Basic";
}

public sealed record DynoReleaseRef
{
    public string? Id { get; init; }
    public int? Version { get; init; }
}

public sealed record DynoResource
{
    public string? Id { get; init; }
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string? Command { get; init; }
    public string? Size { get; init; }
    public string? State { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DynoReleaseRef? Release { get; init; }
}

public sealed record BuildResource
{
    public string Id { get; init; } = "";
    public string? Status { get; init; }
    public string? OutputStreamUrl { get; init; }
    public NamedRef? Release { get; init; }
    public NamedRef? Slug { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}

public sealed record SourceBlob
{
    public string? GetUrl { get; init; }
    public string? PutUrl { get; init; }
}

public sealed record SourceResource
{
    public SourceBlob? SourceBlob { get; init; }
}

public sealed record AccessToken
{
    public string? Token { get; init; }
}

public sealed record OAuthAuthorization
{
    public string? Id { get; init; }
    public AccessToken? AccessToken { get; init; }
    public UserRef? User { get; init; }
}
