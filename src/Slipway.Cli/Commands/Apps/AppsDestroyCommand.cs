using System.CommandLine;
using Slipway.Cli.Config;

namespace Slipway.Cli.Commands.Apps;

internal static class AppsDestroyCommand
{
    public static Command Create(CliContext context)
    {
        var positional = new Argument<string?>("APP") { Arity = ArgumentArity.ZeroOrOne, Description = "App to destroy (same as -a)" };
        var app = CommonOptions.App();
        var confirm = new Option<string>("--confirm", "-c") { Description = "The app's name again, to confirm", HelpName = "APP" };
        var command = new Command("apps:destroy", "Permanently destroy an app, its releases, config and dynos") { positional, app, confirm };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app) ?? parse.GetValue(positional), ct);
            var confirmation = parse.GetValue(confirm);
            if (confirmation != name)
            {
                throw new CliException(confirmation is null
                    ? $"This will permanently destroy {CommonOptions.Hex(name)}, its releases, config vars and dynos. To proceed, run `slipway apps:destroy -a {name} --confirm {name}`."
                    : $"Confirmation '{confirmation}' did not match {name}. Nothing was destroyed.");
            }
            await context.Ui.ActionAsync(
                $"Destroying {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Delete, CommonOptions.AppPath(name), null, ct));
            await RemoveGitRemoteAsync(context, name, ct);
        });
        return command;
    }

    private static async Task RemoveGitRemoteAsync(CliContext context, string app, CancellationToken ct)
    {
        var url = await context.Git.RemoteUrlAsync(context.WorkingDirectory, AppResolver.RemoteName, ct);
        if (url is not null && AppResolver.AppNameFromGitUrl(url) == app)
            await context.Git.RunAsync(context.WorkingDirectory, ct, "remote", "remove", AppResolver.RemoteName);
    }
}
