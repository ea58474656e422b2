using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Slipway.Api.Http;
using Slipway.Core.Apps;
using Slipway.Core.Errors;
using Slipway.Core.Platform;
using Slipway.Data.Apps;
using Slipway.Data.Logs;
using Slipway.Runtime.Logs;
using Slipway.Runtime.Logs.Drains;

namespace Slipway.Api.Endpoints;

/// <summary>Log sessions (a signed <c>logplex_url</c> served as Server-Sent Events) and log drains.</summary>
internal static class LogEndpoints
{
    public static void MapLogs(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/apps/{app}/log-sessions", async (HttpContext context, string app, AppRepository apps, UrlSigner signer, ApiOptions api, IOptions<LogOptions> options, TimeProvider time) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var lines = Math.Clamp(Integer(body, "lines") ?? LogSession.DefaultLines, 0, options.Value.LogHistoryLines);
            var dyno = NonEmpty(body.String("dyno_name")) ?? NonEmpty(body.String("dyno"));
            var session = new LogSession(Guid.NewGuid().ToString(), found.Id, lines, Boolean(body, "tail") ?? false, new LogFilter(NonEmpty(body.String("source")), dyno));
            var now = Resources.Time(time.GetUtcNow());
            return Results.Json(new { id = session.Id, logplex_url = StreamUrl(api, signer, session, options.Value), created_at = now, updated_at = now }, statusCode: 201);
        });

        // The CLI's EventSource sends no Authorization header: the signature in the URL is the credential.
        routes.MapGet("/streams/logs/{session}", async (HttpContext context, string session, AppRepository apps, UrlSigner signer, LogEventStream stream, IHostApplicationLifetime lifetime) =>
        {
            var query = context.Request.Query;
            var requested = new LogSession(session, query["app"].ToString(), int.TryParse(query["lines"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0,
                query["tail"] == "true", new LogFilter(NonEmpty(query["source"]), NonEmpty(query["dyno"])));
            if (!signer.Verify(requested.Resource, query["expires"], query["signature"]))
            {
                await ApiErrors.WriteAsync(context, 403, "forbidden", "This log stream URL has expired or is invalid. Start a new log session.");
                return;
            }

            if (await apps.FindAsync(requested.AppId, context.RequestAborted) is null)
            {
                await ApiErrors.WriteAsync(context, 404, "not_found", "Couldn't find that app.");
                return;
            }

            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            await context.Response.StartAsync(context.RequestAborted);
            var lastEventId = long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null;
            using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                await stream.WriteAsync(requested, lastEventId, context.Response.Body, ending.Token);
            }
            catch (OperationCanceledException) when (ending.IsCancellationRequested)
            {
            }
            catch (IOException) when (context.RequestAborted.IsCancellationRequested)
            {
            }
        });

        routes.MapGet("/apps/{app}/log-drains", async (HttpContext context, string app, AppRepository apps, LogDrains drains) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            return Results.Json((await drains.ListAsync(found.Id, context.RequestAborted)).Select(d => Drain(d, found, drains)));
        });

        routes.MapPost("/apps/{app}/log-drains", async (HttpContext context, string app, AppRepository apps, LogDrains drains) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var drain = await drains.AddAsync(found.Id, body.String("url"), context.RequestAborted);
            return Results.Json(Drain(drain, found, drains), statusCode: 201);
        });

        // By id, token or URL; the heroku CLI sends the URL, percent-encoded.
        routes.MapGet("/apps/{app}/log-drains/{**drain}", async (HttpContext context, string app, string drain, AppRepository apps, LogDrains drains) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var record = await drains.FindAsync(found.Id, Uri.UnescapeDataString(drain), context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that log drain.");
            return Results.Json(Drain(record, found, drains));
        });

        routes.MapDelete("/apps/{app}/log-drains/{**drain}", async (HttpContext context, string app, string drain, AppRepository apps, LogDrains drains) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var record = await drains.RemoveAsync(found.Id, Uri.UnescapeDataString(drain), context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that log drain.");
            return Results.Json(Drain(record, found, drains));
        });
    }

    private static string StreamUrl(ApiOptions api, UrlSigner signer, LogSession session, LogOptions options)
    {
        var query = QueryString.Create(new Dictionary<string, string?>
        {
            ["app"] = session.AppId,
            ["lines"] = session.Lines.ToString(CultureInfo.InvariantCulture),
            ["tail"] = session.Tail ? "true" : "false",
            ["source"] = session.Filter.Source,
            ["dyno"] = session.Filter.Dyno,
        }.Where(p => p.Value is not null));
        return $"{api.ApiUrl.TrimEnd('/')}/streams/logs/{session.Id}{query}&{signer.Sign(session.Resource, TimeSpan.FromMinutes(options.LogSessionMinutes))}";
    }

    /// <summary>Heroku's log-drain resource, plus how many lines the drain has lost since slipwayd started.</summary>
    private static object Drain(LogDrainRecord drain, App app, LogDrains drains) => new
    {
        id = drain.Id,
        url = drain.Url,
        token = drain.Token,
        addon = (object?)null,
        app = new { id = app.Id, name = app.Name },
        created_at = Resources.Time(drain.CreatedAt),
        updated_at = Resources.Time(drain.UpdatedAt),
        dropped = drains.Dropped(drain.Id) ?? 0,
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A number, or a string holding one (the CLI sends some numbers as strings).</summary>
    private static int? Integer(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt32(out var n) => n,
        JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        JsonValueKind.Null => null,
        _ => throw PlatformException.Invalid($"{name} must be a whole number."),
    } : null;

    private static bool? Boolean(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
        JsonValueKind.Null => null,
        _ => throw PlatformException.Invalid($"{name} must be true or false."),
    } : null;
}
