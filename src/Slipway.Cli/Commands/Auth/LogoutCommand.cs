using System.CommandLine;
using Slipway.Cli.Config;

namespace Slipway.Cli.Commands.Auth;

internal static class LogoutCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("logout", "Forget the API token saved in ~/.netrc for this API host and its git host");
        command.SetAction(async (parse, ct) =>
        {
            await context.Ui.ActionAsync("Logging out", () =>
            {
                var path = context.NetrcPath;
                if (path is not null && File.Exists(path))
                {
                    var netrc = Netrc.Load(path);
                    var token = netrc.Find(context.NetrcMachine)?.Password;
                    var removed = netrc.Remove(context.NetrcMachine);
                    // The git host's entry goes too, but only if login wrote it (it holds the same token).
                    if (token is not null && netrc.Find(context.GitNetrcMachine)?.Password == token)
                        removed |= netrc.Remove(context.GitNetrcMachine);
                    if (removed)
                        netrc.Save(path);
                }
                return Task.CompletedTask;
            });
        });
        return command;
    }
}
