using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Ps;

internal static class PsStopCommand
{
    public static Command Create(CliContext context)
    {
        var target = new Argument<string>("TYPE|DYNO") { Description = "Process type (web) or dyno (web.1)" };
        var app = CommonOptions.App();
        var command = new Command("ps:stop", "Stop one dyno, or every dyno of a process type") { target, app };
        command.SetAction(async (parse, ct) =>
        {
            var which = parse.GetValue(target)!;
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var path = DynoTarget.IsDyno(which)
                ? CommonOptions.AppPath(name, $"/dynos/{PlatformClient.Escape(which)}/actions/stop")
                : CommonOptions.AppPath(name, $"/formations/{PlatformClient.Escape(which)}/actions/stop");
            await context.Ui.ActionAsync(
                $"Stopping {DynoTarget.Describe(which)} on {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Post, path, null, ct));
        });
        return command;
    }
}
