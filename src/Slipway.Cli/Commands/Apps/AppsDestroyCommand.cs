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
        var command = new Command("apps:destroy", "Permanently destroy an app, its releases, config, dynos and add-ons (its storage bucket with every object)") { positional, app, confirm };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app) ?? parse.GetValue(positional), ct);
            var confirmation = parse.GetValue(confirm);
            if (confirmation != name)
            {
                throw new CliException(confirmation is null
                    ? $"This will permanently destroy {CommonOptions.Hex(name)}, its releases, config vars, dynos and add-ons, with its storage bucket and every object in it. To proceed, run `slipway apps:destroy -a {name} --confirm {name}`."
                    : $"Confirmation '{confirmation}' did not match {name}. Nothing was destroyed.");
            }
            // The confirmation covers the storage bucket: the API deletes a bucket with objects only when it is passed on.
            await context.Ui.ActionAsync(
                $"Destroying {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Delete, CommonOptions.AppPath(name, $"?confirm={Api.PlatformClient.Escape(name)}"), null, ct));
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
