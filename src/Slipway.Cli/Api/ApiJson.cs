using System.Text.Encodings.Web;
using System.Text.Json;

namespace Slipway.Cli.Api;

internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Indented output for <c>--json</c>, without escaping non-ASCII so scripts see the text as sent.</summary>
    public static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static T Read<T>(JsonElement element) =>
        element.Deserialize<T>(Options) ?? throw new CliException($"The API returned an empty {typeof(T).Name}.");

    public static string Format(JsonElement element) => JsonSerializer.Serialize(element, Pretty);
}
