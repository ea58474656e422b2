using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slipway.Core.Apps;
using Slipway.Core.Errors;
using Slipway.Data;
using Slipway.Data.Releases;

namespace Slipway.Api.Http;

/// <summary>Turns every error a user can meet into Heroku's body <c>{"id": …, "message": …}</c> with the right status.</summary>
public sealed class ApiErrors(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ILogger<ApiErrors> logger)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && Translate(e) is { } error)
        {
            await WriteAsync(context, error.Status, error.Id, error.Message);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // A bug, not bad input: still a JSON error the CLIs can print, with the request id to find it in the log.
            var requestId = context.Response.Headers["Request-Id"].ToString();
            logger.LogError(e, "Request {RequestId} {Method} {Path} failed", requestId, context.Request.Method, context.Request.Path);
            await WriteAsync(context, 500, "internal_server_error",
                $"Slipway failed while handling this request. Try again; if it persists, give the operator this request id: {requestId}.");
        }
    }

    public static Task WriteAsync(HttpContext context, int status, string id, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { id, message }));
    }

    private static PlatformException? Translate(Exception e) => e switch
    {
        PlatformException p => p,
        DuplicateException d => PlatformException.Invalid(d.Message),
        FormationTypeNotFoundException f => PlatformException.NotFound(f.Message),
        ProcfileException p => PlatformException.Invalid(p.Message),
        JsonException j => PlatformException.BadRequest($"The request body is not valid JSON: {j.Message}"),
        BadHttpRequestException b => new PlatformException(b.StatusCode, "bad_request", $"Bad request: {b.Message}"),
        _ => null,
    };
}
