using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Releases;

internal static class LatestRelease
{
    public const string NewestFirst = "version ..; order=desc,max=1";

    public static string Page(int max) => $"version ..; max={max}, order=desc";

    public static async Task<ReleaseResource?> GetAsync(CliContext context, string app, CancellationToken ct)
    {
        var releases = await context.Api.GetAsync<List<ReleaseResource>>(CommonOptions.AppPath(app, "/releases"), ct, NewestFirst);
        return releases.FirstOrDefault();
    }

    /// <summary>The <c>vN</c> suffix Heroku prints after a change that makes a release.</summary>
    public static async Task<string?> VersionSuffixAsync(CliContext context, string app, CancellationToken ct) =>
        await GetAsync(context, app, ct) is { } release ? $"v{release.Version}" : null;
}
