using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Auth;

internal static class WhoamiCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("auth:whoami", "Show the email of the account you are logged in as");
        command.SetAction(async (parse, ct) =>
        {
            var account = await context.Api.GetAsync<AccountResource>("account", ct);
            context.Ui.Line(account.Email ?? "");
        });
        return command;
    }
}
