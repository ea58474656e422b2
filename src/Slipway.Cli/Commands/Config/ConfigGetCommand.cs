using System.CommandLine;

namespace Slipway.Cli.Commands.Config;

internal static class ConfigGetCommand
{
    public static Command Create(CliContext context)
    {
        var key = new Argument<string>("KEY") { Description = "Config var to print" };
        var app = CommonOptions.App();
        var shell = new Option<bool>("--shell", "-s") { Description = "Output as KEY=value" };
        var command = new Command("config:get", "Print one config var's value (an empty line if it is not set)") { key, app, shell };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var vars = await context.Api.GetAsync<Dictionary<string, string?>>(CommonOptions.AppPath(name, "/config-vars"), ct);
            var wanted = parse.GetValue(key)!;
            var value = vars.TryGetValue(wanted, out var found) ? found ?? "" : "";
            context.Ui.Line(parse.GetValue(shell) ? $"{wanted}={ConfigText.ShellQuote(value)}" : value);
        });
        return command;
    }
}
