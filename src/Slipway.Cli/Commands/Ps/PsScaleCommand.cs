using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Ps;

internal static class PsScaleCommand
{
    public static Command Create(CliContext context)
    {
        var changes = new Argument<string[]>("TYPE=QUANTITY[:SIZE]") { Arity = ArgumentArity.ZeroOrMore, Description = "web=2, worker+1, web-1, web=1:standard-2x" };
        var app = CommonOptions.App();
        var command = new Command("ps:scale", "Scale dyno quantity (and size) per process type; no arguments shows the formation") { changes, app };
        command.SetAction(async (parse, ct) =>
        {
            var requested = ScaleChange.ParseAll(parse.GetValue(changes) ?? []);
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var path = CommonOptions.AppPath(name, "/formation");
            if (requested.Count == 0)
            {
                var formation = await context.Api.GetAsync<List<FormationResource>>(path, ct);
                if (formation.Count == 0)
                    throw new CliException($"No process types on {CommonOptions.Hex(name)}. Deploy an app with a Procfile first.");
                context.Ui.Line(string.Join(" ", formation.Select(f => $"{f.Type}={f.Quantity}:{f.DisplaySize}")));
                return;
            }
            var body = new { updates = requested.Select(c => c.ToUpdate()).ToList() };
            var types = requested.Select(c => c.Type).Distinct(StringComparer.Ordinal).ToList();
            await context.Ui.ActionAsync(
                "Scaling dynos",
                () => context.Api.SendAsync<List<FormationResource>>(HttpMethod.Patch, path, body, ct),
                result => "now running " + string.Join(", ", result
                    .Where(f => types.Contains(f.Type))
                    .OrderBy(f => types.IndexOf(f.Type))
                    .Select(f => $"{f.Type} at {f.Quantity}:{f.DisplaySize}")));
        });
        return command;
    }
}
