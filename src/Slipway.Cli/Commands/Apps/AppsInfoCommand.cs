using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Cli.Api;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands.Apps;

internal static class AppsInfoCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("apps:info", "Show an app's details") { app, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var appTask = context.Api.GetAsync(CommonOptions.AppPath(name), ct);
            var dynosTask = TryGetAsync(context, CommonOptions.AppPath(name, "/dynos"), ct);
            var raw = await appTask;
            var dynosRaw = await dynosTask;
            if (parse.GetValue(json))
            {
                var combined = new JsonObject
                {
                    ["app"] = JsonNode.Parse(raw.GetRawText()),
                    ["dynos"] = JsonNode.Parse(dynosRaw.GetRawText()),
                };
                context.Ui.Line(combined.ToJsonString(ApiJson.Pretty));
                return;
            }

            var info = ApiJson.Read<AppResource>(raw);
            var dynos = ApiJson.Read<List<DynoResource>>(dynosRaw);
            var counts = string.Join(", ", dynos.GroupBy(d => d.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));
            var rows = new List<KeyValuePair<string, string>>
            {
                new("Dynos", counts),
                new("Git URL", info.GitUrl ?? ""),
                new("Owner", info.Owner?.Email ?? ""),
                new("Region", info.Region?.Name ?? ""),
                new("Repo Size", info.RepoSize is { } repo ? ByteSize.Format(repo) : ""),
                new("Slug Size", info.SlugSize is { } slug ? ByteSize.Format(slug) : ""),
                new("Stack", info.Stack?.Name ?? ""),
                new("Web URL", info.WebUrl ?? ""),
            };
            if (info.BuildpackProvidedDescription is { Length: > 0 } buildpack)
                rows.Insert(0, new("Buildpack", buildpack));
            if (info.Maintenance == true)
                rows.Add(new("Maintenance", "on"));
            if (info.ProcessTier is { Length: > 0 } tier)
                rows.Add(new("Tier", tier));
            if (info.ReleasedAt is { } released)
                rows.Add(new("Released", TimeDisplay.Format(released, context.Time)));
            context.Ui.Header(info.Name);
            context.Ui.KeyValues(rows.OrderBy(r => r.Key, StringComparer.Ordinal));
        });
        return command;
    }

    /// <summary>Dynos are extra detail: an error there must not hide the app's info.</summary>
    private static async Task<JsonElement> TryGetAsync(CliContext context, string path, CancellationToken ct)
    {
        try
        {
            var result = await context.Api.GetAsync(path, ct);
            return result.ValueKind == JsonValueKind.Array ? result : AppsCommand.Empty;
        }
        catch (CliException)
        {
            return AppsCommand.Empty;
        }
    }
}
