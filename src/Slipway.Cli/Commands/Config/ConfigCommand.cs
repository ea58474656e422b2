using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Config;

internal static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var shell = new Option<bool>("--shell", "-s") { Description = "Output as KEY=value lines for a shell" };
        var command = new Command("config", "Show an app's config vars") { app, json, shell };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var raw = await context.Api.GetAsync(CommonOptions.AppPath(name, "/config-vars"), ct);
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(raw));
                return;
            }
            var vars = ApiJson.Read<Dictionary<string, string?>>(raw)
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new KeyValuePair<string, string>(p.Key, p.Value ?? ""))
                .ToList();
            if (parse.GetValue(shell))
            {
                foreach (var (key, value) in vars)
                    context.Ui.Line($"{key}={ConfigText.ShellQuote(value)}");
                return;
            }
            context.Ui.Header($"{name} Config Vars");
            context.Ui.KeyValues(vars);
        });
        return command;
    }
}
