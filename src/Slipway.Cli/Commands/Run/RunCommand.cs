using System.CommandLine;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Slipway.Cli.Commands.Run;

/// <summary>
/// <c>slipway run -a APP -- CMD …</c>: a one-off dyno from the current release, its output streamed here, stdin sent there,
/// and its exit status as ours. <c>run:detached</c> only starts it; its output goes to the app's log.
/// </summary>
internal static class RunCommand
{
    private const int ExitCloseStatusBase = 4000;

    public static Command Create(CliContext context) => Build(context, "run", "Run a one-off command in a fresh dyno of the app, attached", attach: true);

    public static Command CreateDetached(CliContext context) =>
        Build(context, "run:detached", "Run a one-off command in a fresh dyno of the app; its output goes to the app's log", attach: false);

    private static Command Build(CliContext context, string name, string description, bool attach)
    {
        var words = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore, Description = "The command and its arguments (put them after --)" };
        var size = new Option<string?>("--size", "-s") { Description = "Dyno size, e.g. standard-2x" };
        var env = new Option<string[]>("--env", "-e") { Description = "Extra environment, KEY=value (repeatable)", AllowMultipleArgumentsPerToken = true };
        var app = CommonOptions.App();
        var command = new Command(name, description) { words, size, env, app };
        command.SetAction(async (parse, ct) =>
        {
            var appName = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var environment = new Dictionary<string, string>();
            foreach (var pair in parse.GetValue(env) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new UsageException($"--env takes KEY=value, not '{pair}'.");
                }

                environment[pair[..equals]] = pair[(equals + 1)..];
            }

            var text = string.Join(' ', parse.GetValue(words)!);
            var dyno = await context.Api.SendAsync(HttpMethod.Post, CommonOptions.AppPath(appName, "/dynos"),
                new { command = text, attach, size = parse.GetValue(size), env = environment }, ct);
            var dynoName = dyno.GetProperty("name").GetString();
            if (!attach)
            {
                context.Ui.Line($"Running {text} on {CommonOptions.Hex(appName)}... up, {dynoName}");
                context.Ui.Line($"Run `slipway logs -a {appName} --dyno {dynoName}` to see its output.");
                return;
            }

            context.Ui.Err.WriteLine($"Running {text} on {CommonOptions.Hex(appName)}... up, {dynoName}");
            var status = await AttachAsync(context, dyno.GetProperty("attach_url").GetString()!, ct);
            if (status != 0)
            {
                throw new RemoteExitException(status);
            }
        });
        return command;
    }

    private static async Task<int> AttachAsync(CliContext context, string url, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(url), ct);
        _ = SendInputAsync(context, socket, ct);
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                context.Ui.Write(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                message.SetLength(0);
            }
        }

        var code = (int?)socket.CloseStatus;
        return code is >= ExitCloseStatusBase and <= ExitCloseStatusBase + 255
            ? code.Value - ExitCloseStatusBase
            : throw new CliException($"The connection to the dyno ended without an exit status ({socket.CloseStatusDescription ?? "no reason given"}).");
    }

    /// <summary>Sends our stdin to the dyno; an empty frame says it has ended.</summary>
    private static async Task SendInputAsync(CliContext context, ClientWebSocket socket, CancellationToken ct)
    {
        try
        {
            var buffer = new char[8192];
            int read;
            while ((read = await context.Host.In.ReadAsync(buffer, ct)) > 0)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(buffer, 0, read), WebSocketMessageType.Binary, true, ct);
            }

            await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Binary, true, ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
        }
    }
}

/// <summary>The remote command's exit status becomes ours.</summary>
internal sealed class RemoteExitException(int status) : CliException($"the command exited with status {status}")
{
    public override int ExitCode { get; } = status;
}
