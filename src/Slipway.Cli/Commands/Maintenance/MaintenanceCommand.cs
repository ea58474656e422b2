using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Maintenance;

internal static class MaintenanceCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var command = new Command("maintenance", "Show whether an app is in maintenance mode (on or off)") { app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var found = await context.Api.GetAsync<AppResource>(CommonOptions.AppPath(name), ct);
            context.Ui.Line(found.Maintenance == true ? "on" : "off");
        });
        return command;
    }

    public static Command CreateOn(CliContext context) => Switch(context, on: true);

    public static Command CreateOff(CliContext context) => Switch(context, on: false);

    private static Command Switch(CliContext context, bool on)
    {
        var app = CommonOptions.App();
        var command = new Command(on ? "maintenance:on" : "maintenance:off",
            on ? "Put an app in maintenance mode: the router answers every request with a maintenance page" : "Take an app out of maintenance mode") { app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            await context.Ui.ActionAsync(
                $"{(on ? "Enabling" : "Disabling")} maintenance mode for {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Patch, CommonOptions.AppPath(name), new { maintenance = on }, ct));
        });
        return command;
    }
}
