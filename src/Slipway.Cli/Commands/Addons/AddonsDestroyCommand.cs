using System.CommandLine;

namespace Slipway.Cli.Commands.Addons;

internal static class AddonsDestroyCommand
{
    public static Command Create(CliContext context)
    {
        var addon = new Argument<string>("ADDON") { Description = "The add-on's name (see `slipway addons`), or storage" };
        var app = CommonOptions.App();
        var confirm = new Option<string>("--confirm", "-c") { Description = "The app's name again, to confirm", HelpName = "APP" };
        var keepBucket = new Option<bool>("--keep-bucket") { Description = "Keep the bucket and its objects (only the app's key and config vars go)" };
        var command = new Command("addons:destroy", "Destroy an add-on: revokes its key, removes its config vars and deletes its bucket with every object")
        {
            addon, app, confirm, keepBucket,
        };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var target = parse.GetValue(addon)!;
            var keep = parse.GetValue(keepBucket);
            var confirmation = parse.GetValue(confirm);
            if (confirmation != name)
            {
                throw new CliException(confirmation is null
                    ? $"This will destroy {target} on {CommonOptions.Hex(name)}{(keep ? "" : " and permanently delete its bucket and every object in it")}. To proceed, run `slipway addons:destroy {target} -a {name} --confirm {name}`."
                    : $"Confirmation '{confirmation}' did not match {name}. Nothing was destroyed.");
            }

            await context.Ui.ActionAsync($"Destroying {target} on {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Delete, CommonOptions.AppPath(name, $"/addons/{Api.PlatformClient.Escape(target)}{(keep ? "?keep_bucket=true" : $"?confirm={Api.PlatformClient.Escape(name)}")}"), null, ct));
        });
        return command;
    }
}
