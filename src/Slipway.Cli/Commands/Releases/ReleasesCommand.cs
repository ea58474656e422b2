using System.CommandLine;
using Slipway.Cli.Api;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands.Releases;

internal static class ReleasesCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var count = new Option<int>("--num", "-n") { Description = "How many releases to show, newest first", DefaultValueFactory = _ => 15 };
        var command = new Command("releases", "List an app's releases") { app, json, count };
        command.SetAction(async (parse, ct) =>
        {
            var max = parse.GetValue(count);
            if (max is < 1 or > 1000)
                throw new UsageException("--num must be between 1 and 1000.");
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var raw = await context.Api.GetAsync(CommonOptions.AppPath(name, "/releases"), ct, LatestRelease.Page(max));
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(raw));
                return;
            }
            var releases = ApiJson.Read<List<ReleaseResource>>(raw);
            if (releases.Count == 0)
            {
                context.Ui.Line($"{CommonOptions.Hex(name)} has no releases.");
                return;
            }
            var current = releases.FirstOrDefault(r => r.Current) ?? releases[0];
            context.Ui.Header($"{name} Releases - Current: v{current.Version}");
            context.Ui.Columns([.. releases.Select(r => new[]
            {
                $"v{r.Version}",
                ReleaseText.Description(r),
                r.User?.Email ?? "",
                r.CreatedAt is { } at ? TimeDisplay.Format(at, context.Time) : "",
            })]);
        });
        return command;
    }
}
