using System.CommandLine;

namespace Slipway.Cli.Commands.Storage;

internal static class StorageOptions
{
    public static Option<string> App() => new("--app", "-a")
    {
        Description = "Use this app's storage add-on (default: an account key in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, else the 'slipway' git remote)",
        HelpName = "APP",
    };
}
