using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Apps;

internal static class AppsCommand
{
    public static Command Create(CliContext context)
    {
        var json = CommonOptions.Json();
        var command = new Command("apps", "List your apps") { json };
        command.SetAction(async (parse, ct) =>
        {
            var appsTask = context.Api.GetAsync("apps", ct);
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(await appsTask));
                return;
            }
            var accountTask = context.Api.GetAsync<AccountResource>("account", ct);
            var apps = ApiJson.Read<List<AppResource>>(await appsTask).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            var me = (await accountTask).Email;
            if (apps.Count == 0)
            {
                context.Ui.Line("You have no apps.");
                return;
            }
            var mine = apps.Where(a => a.Owner?.Email == me).ToList();
            var others = apps.Except(mine).ToList();
            if (mine.Count > 0)
            {
                context.Ui.Header($"{me} Apps");
                foreach (var app in mine)
                    context.Ui.Line(NameWithRegion(app));
            }
            if (others.Count > 0)
            {
                if (mine.Count > 0)
                    context.Ui.Line();
                context.Ui.Header("Collaborated Apps");
                context.Ui.Columns([.. others.Select(a => new[] { NameWithRegion(a), a.Owner?.Email ?? "" })]);
            }
        });
        return command;
    }

    private static string NameWithRegion(AppResource app) =>
        app.Region?.Name is { } region && region != "us" ? $"{app.Name} ({region})" : app.Name;

    internal static JsonElement Empty => JsonDocument.Parse("[]").RootElement;
}
