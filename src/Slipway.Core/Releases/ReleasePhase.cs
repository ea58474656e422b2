namespace Slipway.Core.Releases;

/// <summary>Heroku's release phase: the <c>release</c> process type runs once per new release, before its dynos boot.</summary>
public static class ReleasePhase
{
    public const string ProcessType = "release";

    /// <summary>Heroku's limit for a release command.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(1);
}
