using System.Net;
using System.Text;
using Slipway.Cli.Api;
using Slipway.Cli.Output;

namespace Slipway.Cli.Commands.Deploy;

/// <summary>Copies a build's <c>output_stream_url</c> to the terminal as it arrives, until the server closes it.</summary>
internal static class BuildOutput
{
    public static async Task StreamAsync(HttpClient http, Uri url, Uri apiUrl, Ui ui, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", PlatformClient.UserAgent);
        using var response = await PlatformClient.SendOrExplainAsync(http, request, apiUrl, ct, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            ui.Warn("the build output is not available; waiting for the build to finish");
            return;
        }
        if (!response.IsSuccessStatusCode)
            throw PlatformClient.ToException(response.StatusCode, await response.Content.ReadAsStringAsync(ct));

        var eventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body, Encoding.UTF8);
        try
        {
            if (eventStream)
                await CopyEventsAsync(reader, ui, ct);
            else
                await CopyTextAsync(reader, ui, ct);
        }
        catch (HttpIOException)
        {
            // The connection dropped mid-build; the status poll that follows still tells the outcome.
            ui.Warn("the build output stream was interrupted");
        }
    }

    private static async Task CopyTextAsync(StreamReader reader, Ui ui, CancellationToken ct)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
            ui.Write(new string(buffer, 0, read));
    }

    /// <summary>Server-sent events: each <c>data:</c> line is a line of output; comments are heartbeats.</summary>
    private static async Task CopyEventsAsync(StreamReader reader, Ui ui, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
                ui.Write(line[5..].TrimStart(' ') + "\n");
        }
    }
}
