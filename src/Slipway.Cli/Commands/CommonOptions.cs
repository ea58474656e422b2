using System.CommandLine;

namespace Slipway.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string> App() => new("--app", "-a")
    {
        Description = "App to run the command against (default: the 'slipway' git remote, or SLIPWAY_APP)",
        HelpName = "APP",
    };

    public static Option<bool> Json() => new("--json") { Description = "Output JSON" };

    /// <summary>App display as Heroku prints it: <c>⬢ name</c>.</summary>
    public static string Hex(string app) => $"⬢ {app}";

    public static string AppPath(string app, string rest = "") => $"apps/{Api.PlatformClient.Escape(app)}{rest}";
}
