using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Addons;

internal static class AddonsCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("addons", "List an app's add-ons") { app, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var addons = await context.Api.GetAsync(CommonOptions.AppPath(name, "/addons"), ct);
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(addons));
                return;
            }

            var rows = addons.EnumerateArray().Select(a => new[]
            {
                a.GetProperty("name").GetString() ?? "",
                a.GetProperty("plan").GetProperty("name").GetString() ?? "",
                a.GetProperty("provider_id").GetString() ?? "",
                a.GetProperty("state").GetString() ?? "",
            }).ToList();
            if (rows.Count == 0)
            {
                context.Ui.Line($"No add-ons for app {name}. Add object storage with `slipway addons:create storage -a {name}`.");
                return;
            }

            context.Ui.Columns([["Add-on", "Plan", "Bucket", "State"], .. rows]);
        });
        return command;
    }
}
