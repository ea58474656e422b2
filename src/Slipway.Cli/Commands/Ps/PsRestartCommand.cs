using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Ps;

internal static class PsRestartCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string?>("TYPE|DYNO") { Arity = ArgumentArity.ZeroOrOne, Description = "Process type (web) or dyno (web.1); default: all dynos" };
        var app = CommonOptions.App();
        var command = new Command("ps:restart", "Restart all of an app's dynos, one process type, or one dyno") { target, app };
        command.SetAction(async (parse, ct) =>
        {
            var which = parse.GetValue(target);
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var path = which is null
                ? CommonOptions.AppPath(name, "/dynos")
                : DynoTarget.IsDyno(which)
                    ? CommonOptions.AppPath(name, $"/dynos/{PlatformClient.Escape(which)}")
                    : CommonOptions.AppPath(name, $"/formations/{PlatformClient.Escape(which)}");
            await context.Ui.ActionAsync(
                $"Restarting {DynoTarget.Describe(which)} on {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Delete, path, null, ct));
        });
        return command;
    }
}
