using System.CommandLine;
using Slipway.Cli.Api;
using Slipway.Cli.Config;

namespace Slipway.Cli.Commands.Apps;

internal static class AppsCreateCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "Name of the app (default: generated)" };
        var json = CommonOptions.Json();
        var command = new Command("apps:create", "Create an app; inside a git repo also adds a 'slipway' git remote") { name, json };
        command.SetAction(async (parse, ct) =>
        {
            var requested = parse.GetValue(name);
            var body = new Dictionary<string, string>();
            if (!string.IsNullOrWhiteSpace(requested))
                body["name"] = requested.Trim();

            AppResource app;
            if (parse.GetValue(json))
            {
                var raw = await context.Api.SendAsync(HttpMethod.Post, "apps", body, ct);
                app = ApiJson.Read<AppResource>(raw);
                context.Ui.Line(ApiJson.Format(raw));
            }
            else
            {
                var label = requested is null ? "Creating app" : $"Creating {CommonOptions.Hex(requested)}";
                app = await context.Ui.ActionAsync(
                    label,
                    () => context.Api.SendAsync<AppResource>(HttpMethod.Post, "apps", body, ct),
                    created => requested is null ? CommonOptions.Hex(created.Name) : null);
                context.Ui.Line($"{app.WebUrl} | {app.GitUrl}");
            }
            await AddGitRemoteAsync(context, app, ct);
        });
        return command;
    }

    private static async Task AddGitRemoteAsync(CliContext context, AppResource app, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(app.GitUrl) || !await context.Git.IsWorkTreeAsync(context.WorkingDirectory, ct))
            return;
        if (await context.Git.RemoteUrlAsync(context.WorkingDirectory, AppResolver.RemoteName, ct) is not null)
            return;
        var result = await context.Git.RunAsync(context.WorkingDirectory, ct, "remote", "add", AppResolver.RemoteName, app.GitUrl);
        if (!result.Ok)
            context.Ui.Warn($"could not add git remote '{AppResolver.RemoteName}': {result.Error}");
    }
}
