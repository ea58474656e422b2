using System.CommandLine;
using Slipway.Cli.Commands.Apps;
using Slipway.Cli.Commands.Auth;
using Slipway.Cli.Commands.Config;
using Slipway.Cli.Commands.Deploy;
using Slipway.Cli.Commands.Ps;
using Slipway.Cli.Commands.Releases;

namespace Slipway.Cli.Commands;

internal static class CommandTree
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("slipway: deploy and run apps on a Slipway platform (Heroku Platform API v3).");
        Command[] commands =
        [
            LoginCommand.Create(context),
            LogoutCommand.Create(context),
            WhoamiCommand.Create(context),
            TokenCommand.Create(context),
            AccountsCreateCommand.Create(context),
            AppsCommand.Create(context),
            AppsCreateCommand.Create(context),
            AppsInfoCommand.Create(context),
            AppsDestroyCommand.Create(context),
            OpenCommand.Create(context),
            DeployCommand.Create(context),
            ConfigCommand.Create(context),
            ConfigGetCommand.Create(context),
            ConfigSetCommand.Create(context),
            ConfigUnsetCommand.Create(context),
            PsCommand.Create(context),
            PsScaleCommand.Create(context),
            PsRestartCommand.Create(context),
            PsStopCommand.Create(context),
            ReleasesCommand.Create(context),
            ReleasesInfoCommand.Create(context),
        ];
        foreach (var command in commands)
            root.Subcommands.Add(command);
        root.Subcommands.Add(HelpCommand.Create(context, root));
        root.SetAction(parse => ShowHelp(context, root, []));
        return root;
    }

    public static int ShowHelp(CliContext context, RootCommand root, string[] topic) =>
        root.Parse([.. topic, "--help"]).Invoke(new InvocationConfiguration { Output = context.Host.Out, Error = context.Host.Error });
}
