namespace Slipway.Core.Accounts;

public sealed record Account
{
    public required string Id { get; init; }

    public required string Email { get; init; }

    public string? Name { get; init; }

    public bool IsAdmin { get; init; }

    /// <summary>Heroku's card-verified flag: a verified account gets the larger free dyno-hour pool.</summary>
    public bool Verified { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? LastLogin { get; init; }
}
