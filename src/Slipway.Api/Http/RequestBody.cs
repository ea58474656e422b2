using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;

namespace Slipway.Api.Http;

/// <summary>Reads JSON bodies leniently, as Heroku's API does: an empty body is an empty object.</summary>
public static class RequestBody
{
    public static async Task<JsonElement> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.BadRequest("The request body must be a JSON object.");
        }

        return document.RootElement.Clone();
    }

    public static string? String(this JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static JsonElement? Object(this JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;
}
