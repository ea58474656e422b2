using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Logs;

internal static class DrainsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var drain = new Argument<string>("URL|TOKEN") { Description = "The drain's URL or its token (d.…)" };
        var app = CommonOptions.App();
        var command = new Command("drains:remove", "Stop forwarding an app's logs to a drain") { drain, app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var removed = await context.Api.SendAsync<LogDrainResource>(
                HttpMethod.Delete, CommonOptions.AppPath(name, $"/log-drains/{PlatformClient.Escape(parse.GetValue(drain)!)}"), null, ct);
            context.Ui.Line($"Successfully removed drain {removed.Url}");
        });
        return command;
    }
}
