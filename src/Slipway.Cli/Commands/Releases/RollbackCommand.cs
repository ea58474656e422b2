using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Releases;

internal static class RollbackCommand
{
    public static Command Create(CliContext context)
    {
        var version = new Argument<string?>("RELEASE") { Arity = ArgumentArity.ZeroOrOne, Description = "Release to roll back to, e.g. v3 (default: the one before the current)" };
        var app = CommonOptions.App();
        var command = new Command("rollback", "Roll back to an earlier release's code and config vars (add-ons are not touched)") { version, app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var target = parse.GetValue(version) is { } wanted
                ? await context.Api.GetAsync(CommonOptions.AppPath(name, $"/releases/{PlatformClient.Escape(wanted.TrimStart('v', 'V'))}"), ct)
                : await PreviousAsync(context, name, ct);
            var targetVersion = target.GetProperty("version").GetInt32();
            var created = await context.Ui.ActionAsync(
                $"Rolling back {CommonOptions.Hex(name)} to v{targetVersion}",
                () => context.Api.SendAsync<ReleaseResource>(HttpMethod.Post, CommonOptions.AppPath(name, "/releases"),
                    new { release = target.GetProperty("id").GetString() }, ct),
                release => $"v{release.Version}");
            context.Ui.Warn("rollback restores code and config vars; it doesn't add or remove add-ons.");
            context.Ui.Line($"To undo, run: slipway rollback v{created.Version - 1} -a {name}");
        });
        return command;
    }

    /// <summary>As Heroku: the second newest release that can be rolled back to.</summary>
    private static async Task<JsonElement> PreviousAsync(CliContext context, string app, CancellationToken ct)
    {
        var releases = await context.Api.GetAsync(CommonOptions.AppPath(app, "/releases"), ct, LatestRelease.Page(10));
        var eligible = releases.EnumerateArray()
            .Where(r => r.TryGetProperty("eligible_for_rollback", out var e) && e.ValueKind == JsonValueKind.True)
            .Skip(1)
            .FirstOrDefault();
        return eligible.ValueKind == JsonValueKind.Object
            ? eligible
            : throw new CliException($"{app} has no earlier release to roll back to. See `slipway releases -a {app}`.");
    }
}
