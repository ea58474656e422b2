using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Api;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands.Releases;

internal static class ReleasesInfoCommand
{
    public static Command Create(CliContext context)
    {
        var version = new Argument<string?>("RELEASE") { Arity = ArgumentArity.ZeroOrOne, Description = "Release version, e.g. v3 (default: the newest)" };
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("releases:info", "Show one release") { version, app, json };
        command.SetAction(async (parse, ct) =>
        {
            var wanted = parse.GetValue(version);
            var number = wanted is null ? (int?)null : ParseVersion(wanted);
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            JsonElement raw;
            if (number is { } n)
            {
                raw = await context.Api.GetAsync(CommonOptions.AppPath(name, $"/releases/{n}"), ct);
            }
            else
            {
                var page = await context.Api.GetAsync(CommonOptions.AppPath(name, "/releases"), ct, LatestRelease.NewestFirst);
                raw = page.ValueKind == JsonValueKind.Array && page.GetArrayLength() > 0
                    ? page[0]
                    : throw new CliException($"{CommonOptions.Hex(name)} has no releases.");
            }
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(raw));
                return;
            }
            var release = ApiJson.Read<ReleaseResource>(raw);
            context.Ui.Header($"Release v{release.Version}");
            context.Ui.KeyValues(
            [
                new("By", release.User?.Email ?? ""),
                new("Change", ReleaseText.Description(release)),
                new("Current", release.Current ? "yes" : "no"),
                new("Status", release.Status ?? ""),
                new("When", release.CreatedAt is { } at ? TimeDisplay.Format(at, context.Time) : ""),
            ]);
        });
        return command;
    }

    internal static int ParseVersion(string text)
    {
        var digits = text.StartsWith('v') || text.StartsWith('V') ? text[1..] : text;
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"'{text}' is not a release version. Use a form like v3.");
    }
}
