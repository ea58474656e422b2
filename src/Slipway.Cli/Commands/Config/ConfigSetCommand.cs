using System.CommandLine;
using Slipway.Cli.Commands.Releases;

namespace Slipway.Cli.Commands.Config;

internal static class ConfigSetCommand
{
    public static Command Create(CliContext context)
    {
        var pairs = new Argument<string[]>("KEY=VALUE") { Arity = ArgumentArity.OneOrMore, Description = "Config vars to set" };
        var app = CommonOptions.App();
        var command = new Command("config:set", "Set config vars and restart the app's dynos") { pairs, app };
        command.SetAction(async (parse, ct) =>
        {
            var assignments = parse.GetValue(pairs)!.Select(ConfigText.ParseAssignment).ToList();
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var body = new Dictionary<string, string>();
            foreach (var (key, value) in assignments)
                body[key] = value;
            var keys = body.Keys.ToList();

            Dictionary<string, string?> result = [];
            await context.Ui.ActionAsync(
                $"Setting {ConfigText.Sentence(keys)} and restarting {CommonOptions.Hex(name)}",
                async () =>
                {
                    result = await context.Api.SendAsync<Dictionary<string, string?>>(
                        HttpMethod.Patch, CommonOptions.AppPath(name, "/config-vars"), body, ct);
                    return await LatestRelease.VersionSuffixAsync(context, name, ct);
                },
                version => version);
            context.Ui.KeyValues(keys.Select(k => new KeyValuePair<string, string>(
                k, result.TryGetValue(k, out var v) && v is not null ? v : body[k])));
        });
        return command;
    }
}
