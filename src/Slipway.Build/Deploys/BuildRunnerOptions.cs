namespace Slipway.Build.Deploys;

public sealed record BuildRunnerOptions
{
    /// <summary>Heroku's historical compile limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    public int UidBase { get; init; } = 200_000;

    public string Stack { get; init; } = "heroku-24";

    /// <summary>The app's URL for the closing lines of a build.</summary>
    public required Func<string, string> WebUrl { get; init; }

    /// <summary>Returns the key in the sources bucket when a URL is one of our own source blob URLs, else null.</summary>
    public required Func<string, string?> OwnSourceKey { get; init; }
}
