using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Auth;

internal static class TokenCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("auth:token", "Print the API token the CLI uses (SLIPWAY_API_KEY or ~/.netrc)");
        command.SetAction(parse =>
        {
            var token = context.Token ?? throw PlatformClient.NotLoggedIn();
            context.Ui.Line(token);
        });
        return command;
    }
}
