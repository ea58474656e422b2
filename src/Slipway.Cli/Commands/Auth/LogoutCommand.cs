using System.CommandLine;
using Slipway.Cli.Config;

namespace Slipway.Cli.Commands.Auth;

internal static class LogoutCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("logout", "Forget the API token saved in ~/.netrc for this API host");
        command.SetAction(async (parse, ct) =>
        {
            await context.Ui.ActionAsync("Logging out", () =>
            {
                var path = context.NetrcPath;
                if (path is not null && File.Exists(path))
                {
                    var netrc = Netrc.Load(path);
                    if (netrc.Remove(context.NetrcMachine))
                        netrc.Save(path);
                }
                return Task.CompletedTask;
            });
        });
        return command;
    }
}
