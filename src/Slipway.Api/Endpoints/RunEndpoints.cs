using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Http;
using Slipway.Core.Dynos;
using Slipway.Core.Errors;
using Slipway.Core.Platform;
using Slipway.Data.Apps;
using Slipway.Data.Builds;
using Slipway.Data.Releases;
using Slipway.Runtime.Dynos;

namespace Slipway.Api.Endpoints;

/// <summary>
/// One-off dynos (<c>slipway run</c>). With <c>attach</c>, <c>attach_url</c> is a signed WebSocket URL: the server sends each
/// output line as a text frame, the client sends stdin as binary frames (an empty one ends stdin), and the server closes
/// with status <c>4000 + exit status</c>.
/// </summary>
internal static class RunEndpoints
{
    public const int ExitCloseStatusBase = 4000;

    public static void MapRuns(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/apps/{app}/dynos", async (HttpContext context, string app, AppRepository apps, ReleaseRepository releases,
            BuildRepository builds, DynoManager dynos, UrlSigner signer, ApiOptions options) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var command = body.String("command");
            if (string.IsNullOrWhiteSpace(command))
            {
                throw PlatformException.Invalid("command is required: {\"command\": \"bash\"}.");
            }

            var release = await releases.CurrentAsync(found.Id, context.RequestAborted);
            var slug = release?.SlugId is { } slugId ? await builds.FindSlugAsync(slugId, context.RequestAborted) : null;
            if (release is null || slug is null)
            {
                throw PlatformException.Invalid($"{found.Name} has no release with code yet. Deploy first, then run commands.");
            }

            var size = body.String("size");
            if (size is not null && DynoSize.Find(size) is null)
            {
                throw PlatformException.Invalid($"Unknown dyno size \"{size}\".");
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (body.Object("env") is { } env)
            {
                foreach (var property in env.EnumerateObject())
                {
                    environment[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            var attach = body.TryGetProperty("attach", out var a) && a.ValueKind == JsonValueKind.True;
            var oneOff = await dynos.RunAsync(found, release, slug, new OneOffRequest
            {
                Command = command, Environment = environment, Size = size, Attach = attach, User = account.Email,
            }, CancellationToken.None);
            var record = dynos.List(found.Id).FirstOrDefault(d => d.Id == oneOff.Id);
            var resource = JsonSerializer.SerializeToNode(record is null
                ? new { id = oneOff.Id, name = oneOff.Name, type = "run", command, state = "complete" }
                : Resources.Dyno(record, found))!.AsObject();
            resource["attach_url"] = attach
                ? $"{options.ApiUrl.Replace("http", "ws", StringComparison.Ordinal).TrimEnd('/')}/streams/dynos/{oneOff.Id}?{signer.Sign(Resource(oneOff.Id), TimeSpan.FromMinutes(10))}"
                : null;
            return Results.Json(resource, statusCode: 201);
        });

        routes.Map("/streams/dynos/{dyno}", async (HttpContext context, string dyno, DynoManager dynos, UrlSigner signer) =>
        {
            if (!signer.Verify(Resource(dyno), context.Request.Query["expires"], context.Request.Query["signature"]))
            {
                await ApiErrors.WriteAsync(context, 403, "forbidden", "This attach URL has expired or is invalid. Start the command again.");
                return;
            }

            if (dynos.FindOneOff(dyno) is not { } oneOff)
            {
                await ApiErrors.WriteAsync(context, 404, "not_found", "That one-off dyno has ended and its output is gone.");
                return;
            }

            if (!context.WebSockets.IsWebSocketRequest)
            {
                await ApiErrors.WriteAsync(context, 400, "bad_request", "Attach with a WebSocket client (slipway run does).");
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var input = PumpInputAsync(socket, oneOff);
            await foreach (var line in oneOff.Output.ReadAllAsync(context.RequestAborted))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(line + "\n"), WebSocketMessageType.Text, true, context.RequestAborted);
            }

            var status = await oneOff.Exited;
            await socket.CloseOutputAsync((WebSocketCloseStatus)(ExitCloseStatusBase + Math.Clamp(status, 0, 255)), $"exit status {status}", context.RequestAborted);
            await Task.WhenAny(input, Task.Delay(TimeSpan.FromSeconds(5)));
        });
    }

    private static string Resource(string dynoId) => $"attach {dynoId}";

    /// <summary>Copies the client's binary frames to the dyno's stdin; an empty frame (or the client closing) ends stdin.</summary>
    private static async Task PumpInputAsync(WebSocket socket, OneOffDyno oneOff)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close || received.Count == 0 && received.EndOfMessage)
                {
                    break;
                }

                if (oneOff.Input is { } stdin)
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, received.Count));
                    await stdin.FlushAsync();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                oneOff.Input?.Close();
            }
            catch (IOException)
            {
            }
        }
    }
}
