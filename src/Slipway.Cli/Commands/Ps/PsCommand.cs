using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Ps;

internal static class PsCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("ps", "List an app's dynos") { app, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var raw = await context.Api.GetAsync(CommonOptions.AppPath(name, "/dynos"), ct);
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(raw));
                return;
            }
            await QuotaLines.PrintAsync(context, name, ct);
            var lines = DynoListing.Render(ApiJson.Read<List<DynoResource>>(raw), name, context.Time);
            foreach (var line in lines)
            {
                if (line.StartsWith("=== ", StringComparison.Ordinal))
                    context.Ui.Header(line[4..]);
                else
                    context.Ui.Line(line);
            }
        });
        return command;
    }
}
