using Slipway.Cli.Git;

namespace Slipway.Cli.Config;

/// <summary>Finds the app a command is about: <c>-a</c>, then SLIPWAY_APP, then the <c>slipway</c> git remote.</summary>
internal static class AppResolver
{
    public const string RemoteName = "slipway";

    public static async Task<string> ResolveAsync(
        string? option, Func<string, string?> env, GitCli git, string workingDirectory, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(option))
            return option.Trim();
        var fromEnv = env("SLIPWAY_APP");
        if (!string.IsNullOrWhiteSpace(fromEnv))
            return fromEnv.Trim();
        var url = await git.RemoteUrlAsync(workingDirectory, RemoteName, ct);
        var name = url is null ? null : AppNameFromGitUrl(url);
        return name ?? throw new UsageException(
            "No app specified. Use -a APP or run inside a git repo with a 'slipway' remote.");
    }

    /// <summary><c>http://host:5000/my-app.git</c>, <c>git@host:my-app.git</c> and <c>ssh://git@host/my-app.git</c> give <c>my-app</c>.</summary>
    public static string? AppNameFromGitUrl(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        if (trimmed.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            trimmed = trimmed[..^4];
        var cut = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf(':'));
        var name = trimmed[(cut + 1)..];
        return name.Length == 0 ? null : name;
    }
}
