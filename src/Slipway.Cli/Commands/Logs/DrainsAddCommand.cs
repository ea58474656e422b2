using System.CommandLine;

namespace Slipway.Cli.Commands.Logs;

internal static class DrainsAddCommand
{
    public static Command Create(CliContext context)
    {
        var url = new Argument<string>("URL") { Description = "syslog://host:port, syslog+tls://host:port or https://host/path" };
        var app = CommonOptions.App();
        var command = new Command("drains:add", "Forward an app's logs to a syslog or HTTPS endpoint") { url, app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var drain = await context.Api.SendAsync<LogDrainResource>(
                HttpMethod.Post, CommonOptions.AppPath(name, "/log-drains"), new Dictionary<string, string> { ["url"] = parse.GetValue(url)! }, ct);
            context.Ui.Line($"Successfully added drain {drain.Url}");
        });
        return command;
    }
}
