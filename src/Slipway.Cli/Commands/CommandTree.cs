using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Slipway.Cli.Commands.Apps;
using Slipway.Cli.Commands.Auth;
using Slipway.Cli.Commands.Config;
using Slipway.Cli.Commands.Deploy;
using Slipway.Cli.Commands.Ps;
using Slipway.Cli.Commands.Releases;

namespace Slipway.Cli.Commands;

internal static class CommandTree
{
    /// <summary>
    /// A plain <see cref="Command"/> named <c>slipway</c> rather than a RootCommand, whose name would be
    /// the host executable's (<c>dotnet</c>, a test runner) when the CLI runs in-process.
    /// </summary>
    public static Command Build(CliContext context)
    {
        var root = new Command("slipway", "Deploy and run apps on a Slipway platform (Heroku Platform API v3).")
        {
            new HelpOption(),
            new VersionOption { Action = new PrintVersion() },
        };
        Command[] commands =
        [
            LoginCommand.Create(context),
            LogoutCommand.Create(context),
            WhoamiCommand.Create(context),
            TokenCommand.Create(context),
            AccountsCreateCommand.Create(context),
            AccountsVerifyCommand.Create(context),
            Quota.QuotaCommand.Create(context),
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
            PsWritesCommand.Create(context),
            Run.RunCommand.Create(context),
            Run.RunCommand.CreateDetached(context),
            ReleasesCommand.Create(context),
            ReleasesInfoCommand.Create(context),
            RollbackCommand.Create(context),
            Git.GitRemoteCommand.Create(context),
            Domains.DomainsCommand.Create(context),
            Domains.DomainsCommand.CreateAdd(context),
            Domains.DomainsCommand.CreateRemove(context),
            Maintenance.MaintenanceCommand.Create(context),
            Maintenance.MaintenanceCommand.CreateOn(context),
            Maintenance.MaintenanceCommand.CreateOff(context),
            Logs.LogsCommand.Create(context),
            Logs.DrainsCommand.Create(context),
            Logs.DrainsAddCommand.Create(context),
            Logs.DrainsRemoveCommand.Create(context),
            Addons.AddonsCommand.Create(context),
            Addons.AddonsCreateCommand.Create(context),
            Addons.AddonsDestroyCommand.Create(context),
            Storage.StorageKeysCommand.Create(context),
            Storage.StorageKeysCreateCommand.Create(context),
            Storage.StorageKeysRevokeCommand.Create(context),
            Storage.StorageLsCommand.Create(context),
            Storage.StorageCpCommand.Create(context),
            Storage.StorageRmCommand.Create(context),
            Completion.CompletionCommand.Create(context),
        ];
        foreach (var command in commands)
            root.Subcommands.Add(command);
        root.Subcommands.Add(HelpCommand.Create(context, root));
        root.SetAction(parse => ShowHelp(context, root, []));
        return root;
    }

    public static int ShowHelp(CliContext context, Command root, string[] topic) =>
        root.Parse([.. topic, "--help"]).Invoke(new InvocationConfiguration { Output = context.Host.Out, Error = context.Host.Error });
}

/// <summary>Prints the CLI's own version, not the entry assembly's (which is a test host when in-process).</summary>
internal sealed class PrintVersion : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        (parseResult.InvocationConfiguration.Output ?? Console.Out).WriteLine(SlipwayCli.Version);
        return ExitCodes.Ok;
    }
}
