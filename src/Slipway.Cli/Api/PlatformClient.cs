using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Slipway.Cli.Api;

/// <summary>Speaks Heroku Platform API v3 to slipwayd: headers, JSON bodies and <c>{"id","message"}</c> errors.</summary>
internal sealed class PlatformClient(HttpClient http, Uri baseUrl, string? token)
{
    public const string AcceptV3 = "application/vnd.heroku+json; version=3";

    public static readonly string UserAgent = $"slipway-cli/{SlipwayCli.Version}";

    public Uri BaseUrl { get; } = baseUrl;

    public Task<JsonElement> GetAsync(string path, CancellationToken ct, string? range = null) =>
        SendAsync(HttpMethod.Get, path, body: null, ct, range);

    public async Task<T> GetAsync<T>(string path, CancellationToken ct, string? range = null) =>
        ApiJson.Read<T>(await GetAsync(path, ct, range));

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct) =>
        ApiJson.Read<T>(await SendAsync(method, path, body, ct));

    public async Task<JsonElement> SendAsync(
        HttpMethod method, string path, object? body, CancellationToken ct, string? range = null, string? basicAuth = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, path.TrimStart('/')));
        request.Headers.TryAddWithoutValidation("Accept", AcceptV3);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (basicAuth is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basicAuth)));
        else if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else
            throw NotLoggedIn();
        if (range is not null)
            request.Headers.TryAddWithoutValidation("Range", range);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body, ApiJson.Options), Encoding.UTF8, "application/json");

        using var response = await SendOrExplainAsync(http, request, BaseUrl, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw ToException(response.StatusCode, text);
        if (string.IsNullOrWhiteSpace(text))
            return JsonDocument.Parse("{}").RootElement.Clone();
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException($"The API at {BaseUrl} answered {method} {path} with something that is not JSON.");
        }
    }

    /// <summary>Sends a request and turns "connection refused" and friends into a sentence about the API URL.</summary>
    public static async Task<HttpResponseMessage> SendOrExplainAsync(
        HttpClient http, HttpRequestMessage request, Uri apiUrl, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(
                $"Could not reach {request.RequestUri?.GetLeftPart(UriPartial.Authority) ?? apiUrl.ToString()}: {e.Message.TrimEnd('.')}. " +
                "Is slipwayd running? Set SLIPWAY_API_URL to point at it.");
        }
    }

    public static CliException NotLoggedIn() =>
        new("Invalid credentials. Run `slipway login`, or set SLIPWAY_API_KEY.", "unauthorized");

    public static ApiException ToException(HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.Unauthorized)
            return new ApiException(status, "unauthorized", NotLoggedIn().Message);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("message", out var message) &&
                message.ValueKind == JsonValueKind.String)
            {
                var id = doc.RootElement.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                    ? idElement.GetString()
                    : null;
                return new ApiException(status, id, message.GetString() ?? "");
            }
        }
        catch (JsonException)
        {
            // Not an API error body; fall through to the raw text.
        }
        var snippet = body.Length > 300 ? body[..300] + "…" : body;
        return new ApiException(status, null, $"HTTP {(int)status} {status}: {snippet.Trim()}");
    }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}
