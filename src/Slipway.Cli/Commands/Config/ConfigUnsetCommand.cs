using System.CommandLine;
using Slipway.Cli.Commands.Releases;

namespace Slipway.Cli.Commands.Config;

internal static class ConfigUnsetCommand
{
    public static Command Create(CliContext context)
    {
        var keys = new Argument<string[]>("KEY") { Arity = ArgumentArity.OneOrMore, Description = "Config vars to remove" };
        var app = CommonOptions.App();
        var command = new Command("config:unset", "Remove config vars and restart the app's dynos") { keys, app };
        command.SetAction(async (parse, ct) =>
        {
            var names = parse.GetValue(keys)!.Distinct(StringComparer.Ordinal).ToList();
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var body = names.ToDictionary(k => k, string? (_) => null);
            await context.Ui.ActionAsync(
                $"Unsetting {ConfigText.Sentence(names)} and restarting {CommonOptions.Hex(name)}",
                async () =>
                {
                    await context.Api.SendAsync(HttpMethod.Patch, CommonOptions.AppPath(name, "/config-vars"), body, ct);
                    return await LatestRelease.VersionSuffixAsync(context, name, ct);
                },
                version => version);
        });
        return command;
    }
}
