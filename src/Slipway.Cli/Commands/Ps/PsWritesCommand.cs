using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Ps;

/// <summary><c>ps:writes</c>: what each running dyno has written since boot — all of it lost at its next restart.</summary>
internal static class PsWritesCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string?>("DYNO") { Arity = ArgumentArity.ZeroOrOne, Description = "One dyno (web.1); default: every dyno" };
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("ps:writes", "Show files dynos wrote since boot, which the ephemeral filesystem will discard") { target, app, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var dynos = parse.GetValue(target) is { } one
                ? [one]
                : (await context.Api.GetAsync(CommonOptions.AppPath(name, "/dynos"), ct)).EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList();
            var reports = new List<JsonElement>();
            foreach (var dyno in dynos)
            {
                reports.Add(await context.Api.GetAsync(CommonOptions.AppPath(name, $"/dynos/{PlatformClient.Escape(dyno)}/writes"), ct));
            }

            if (parse.GetValue(json))
            {
                context.Ui.Line(JsonSerializer.Serialize(reports));
                return;
            }

            if (reports.Count == 0)
            {
                context.Ui.Line($"No dynos on {CommonOptions.Hex(name)}");
                return;
            }

            foreach (var report in reports)
            {
                context.Ui.Line($"{report.GetProperty("dyno").GetString()}: {report.GetProperty("summary").GetString()}");
                foreach (var directory in report.GetProperty("directories").EnumerateArray())
                {
                    context.Ui.Line($"  {directory.GetProperty("path").GetString()}  {directory.GetProperty("files").GetInt64()} files, {directory.GetProperty("bytes").GetInt64()} bytes");
                }
            }
        });
        return command;
    }
}
