using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Releases;

internal static class ReleaseText
{
    /// <summary>Heroku's wording for releases that are not simply <c>succeeded</c>.</summary>
    public static string Description(ReleaseResource release)
    {
        var text = release.Description ?? "";
        var status = release.Status switch
        {
            "pending" => "release command executing",
            "failed" => "release command failed",
            "expired" => "release expired",
            _ => null,
        };
        return status is null ? text : $"{text} {status}".Trim();
    }
}
