using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Addons;

internal static class AddonsCreateCommand
{
    public static Command Create(CliContext context)
    {
        var plan = new Argument<string>("SERVICE:PLAN") { Description = "The add-on to create: storage" };
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("addons:create", "Create an add-on and attach it to an app (sets its config vars and restarts the dynos)") { plan, app, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var requested = parse.GetValue(plan)!;
            Task<System.Text.Json.JsonElement> CreateAsync() => context.Api.SendAsync(HttpMethod.Post, CommonOptions.AppPath(name, "/addons"), new { plan = requested }, ct);
            if (parse.GetValue(json))
            {
                // Nothing but the JSON, so that scripts can parse it.
                context.Ui.Line(ApiJson.Format(await CreateAsync()));
                return;
            }

            var created = await context.Ui.ActionAsync($"Creating {requested} on {CommonOptions.Hex(name)}", CreateAsync);
            var addon = created.GetProperty("name").GetString();
            var vars = created.GetProperty("config_vars").EnumerateArray().Select(v => v.GetString()).ToList();
            context.Ui.Line($"Created {addon} (bucket {created.GetProperty("provider_id").GetString()}) as {string.Join(", ", vars)}");
            context.Ui.Line($"Use `slipway config -a {name}` to see them; S3 SDKs read them with no code change.");
        });
        return command;
    }
}
