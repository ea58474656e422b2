using System.CommandLine;
using Slipway.Cli.Api;
using Slipway.Cli.Config;

namespace Slipway.Cli.Commands.Git;

internal static class GitRemoteCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var remote = new Option<string>("--remote", "-r") { Description = "Name of the git remote", DefaultValueFactory = _ => AppResolver.RemoteName };
        var command = new Command("git:remote", "Point a git remote (default 'slipway') at an app's repository, for git push deploys") { app, remote };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            if (!await context.Git.IsWorkTreeAsync(context.WorkingDirectory, ct))
                throw new CliException("Not inside a git repository: run `git init` first, or cd into your app's repository.");
            var found = await context.Api.GetAsync<AppResource>(CommonOptions.AppPath(name), ct);
            var url = found.GitUrl ?? throw new CliException($"The API did not return a git URL for {name}.");
            var remoteName = parse.GetValue(remote)!;
            var existing = await context.Git.RemoteUrlAsync(context.WorkingDirectory, remoteName, ct);
            var result = existing is null
                ? await context.Git.RunAsync(context.WorkingDirectory, ct, "remote", "add", remoteName, url)
                : await context.Git.RunAsync(context.WorkingDirectory, ct, "remote", "set-url", remoteName, url);
            if (!result.Ok)
                throw new CliException($"git could not set remote '{remoteName}': {result.Error}");
            context.Ui.Line($"set git remote {remoteName} to {url}");
            context.Ui.Line($"Deploy with: git push {remoteName} main (user name anything, password your API token: `slipway auth:token`)");
        });
        return command;
    }
}
