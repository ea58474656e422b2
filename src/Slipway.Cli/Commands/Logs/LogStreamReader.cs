using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Logs;

/// <summary>
/// Reads a <c>logplex_url</c> as Server-Sent Events, as the heroku CLI does: each <c>data:</c> line is a log line. Without
/// <c>--tail</c> the stream's end is the command's end; with it, a closed stream is reopened with <c>Last-Event-ID</c>.
/// </summary>
internal static class LogStreamReader
{
    private static readonly TimeSpan DefaultRetry = TimeSpan.FromSeconds(3);

    public static async Task ReadAsync(CliContext context, Uri url, bool tail, CancellationToken ct)
    {
        string? lastEventId = null;
        var retry = DefaultRetry;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
            request.Headers.TryAddWithoutValidation("User-Agent", PlatformClient.UserAgent);
            if (lastEventId is not null)
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);

            using var response = await PlatformClient.SendOrExplainAsync(context.Http, request, context.ApiUrl, ct, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                throw new CliException("Log stream timed out. Please try again.");
            if (response.StatusCode != HttpStatusCode.OK)
                throw new CliException($"Logs eventsource failed with: {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
                throw new CliException($"Logs eventsource failed with: 200 Invalid content type, expected \"text/event-stream\"");

            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                var reader = PipeReader.Create(body);
                var shown = new StringBuilder();
                string? pendingId = null;
                while (true)
                {
                    var read = await reader.ReadAsync(ct);
                    var buffer = read.Buffer;
                    while (buffer.PositionOf((byte)'\n') is { } end)
                    {
                        var line = Encoding.UTF8.GetString(buffer.Slice(0, end)).TrimEnd('\r');
                        buffer = buffer.Slice(buffer.GetPosition(1, end));
                        if (line.Length == 0)
                            lastEventId = pendingId ?? lastEventId;
                        else if (line.StartsWith("data:", StringComparison.Ordinal))
                            shown.Append(Field(line, 5)).Append('\n');
                        else if (line.StartsWith("id:", StringComparison.Ordinal))
                            pendingId = Field(line, 3);
                        else if (line.StartsWith("retry:", StringComparison.Ordinal) && int.TryParse(Field(line, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                            retry = TimeSpan.FromMilliseconds(ms);
                        // Lines starting with ':' are comments (keep-alives).
                    }

                    // One write per chunk received, not per line: a busy tail is thousands of lines a second.
                    if (shown.Length > 0)
                    {
                        context.Ui.Write(shown.ToString());
                        shown.Clear();
                    }

                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted)
                        break;
                }

                await reader.CompleteAsync();
            }
            catch (Exception e) when (tail && e is HttpIOException or IOException)
            {
                // Dropped connection while tailing: reconnect below, resuming after the last line shown.
            }

            if (!tail)
                return;
            await Task.Delay(retry, context.Time, ct);
        }
    }

    private static string Field(string line, int nameLength) =>
        line.Length > nameLength && line[nameLength] == ' ' ? line[(nameLength + 1)..] : line[nameLength..];
}
