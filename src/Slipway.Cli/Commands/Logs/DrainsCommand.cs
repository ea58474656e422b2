using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Logs;

internal static class DrainsCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("drains", "List an app's log drains") { app, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var raw = await context.Api.GetAsync(CommonOptions.AppPath(name, "/log-drains"), ct);
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(raw));
                return;
            }
            var drains = ApiJson.Read<List<LogDrainResource>>(raw);
            if (drains.Count == 0)
            {
                context.Ui.Line($"{CommonOptions.Hex(name)} has no drains.");
                return;
            }
            context.Ui.Header("Drains");
            foreach (var drain in drains)
                context.Ui.Line(drain.Dropped is > 0 ? $"{drain.Url} ({drain.Token}, {drain.Dropped} lines dropped)" : $"{drain.Url} ({drain.Token})");
        });
        return command;
    }
}
