using System.CommandLine;

namespace Slipway.Cli.Commands.Logs;

internal static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var num = new Option<int?>("--num", "-n") { Description = "Number of lines to show (default 100)", HelpName = "N" };
        var tail = new Option<bool>("--tail", "-t") { Description = "Keep the stream open and show new lines as they come" };
        var source = new Option<string?>("--source", "-s") { Description = "Only lines from this source: app or heroku", HelpName = "SOURCE" };
        var dyno = new Option<string?>("--dyno", "-d", "--dyno-name", "--ps", "-p")
        {
            Description = "Only lines from this dyno (web.1), process type (web), or platform process (router, api)",
            HelpName = "DYNO",
        };
        var command = new Command("logs", "Show an app's logs (its dynos, the router and the platform)") { app, num, tail, source, dyno };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var lines = parse.GetValue(num) ?? 100;
            if (lines < 0)
                throw new UsageException("--num must be 0 or more.");
            var body = new Dictionary<string, object> { ["lines"] = lines, ["tail"] = parse.GetValue(tail) };
            if (parse.GetValue(source) is { Length: > 0 } s)
                body["source"] = s;
            if (parse.GetValue(dyno) is { Length: > 0 } d)
                body["dyno"] = d;

            var session = await context.Api.SendAsync<LogSessionResource>(HttpMethod.Post, CommonOptions.AppPath(name, "/log-sessions"), body, ct);
            if (!Uri.TryCreate(session.LogplexUrl, UriKind.Absolute, out var url))
                throw new CliException($"The API returned no usable logplex_url for {CommonOptions.Hex(name)}.");
            await LogStreamReader.ReadAsync(context, url, parse.GetValue(tail), ct);
        });
        return command;
    }
}
