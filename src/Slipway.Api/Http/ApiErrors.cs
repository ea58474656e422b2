using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Apps;
using Slipway.Core.Errors;
using Slipway.Data;
using Slipway.Data.Releases;

namespace Slipway.Api.Http;

/// <summary>Turns every error a user can meet into Heroku's body <c>{"id": …, "message": …}</c> with the right status.</summary>
public sealed class ApiErrors(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && Translate(e) is { } error)
        {
            await WriteAsync(context, error.Status, error.Id, error.Message);
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
