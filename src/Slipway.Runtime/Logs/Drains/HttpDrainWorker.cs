using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs.Drains;

/// <summary>
/// An <c>https://…</c> (or <c>http://…</c>) drain: Logplex's HTTPS drain protocol, a POST per batch of octet-counted syslog frames
/// with <c>Content-Type: application/logplex-1</c> and the <c>Logplex-Msg-Count</c>, <c>Logplex-Frame-Id</c> and
/// <c>Logplex-Drain-Token</c> headers. A batch is tried three times (same frame id), then given up and counted.
/// </summary>
internal sealed class HttpDrainWorker(LogDrainRecord drain, AppLogBuffer buffer, int capacity, HttpClient http, TimeProvider time, ILogger logger)
    : DrainWorker(drain, buffer, capacity, maxBatch: 100, time, logger)
{
    private const int Attempts = 3;

    private static readonly MediaTypeHeaderValue LogplexContentType = new("application/logplex-1");

    private readonly ArrayBufferWriter<byte> _frames = new(64 * 1024);
    private readonly Uri _url = WithoutUserInfo(new Uri(drain.Url));
    private readonly AuthenticationHeaderValue? _authorization = BasicFrom(new Uri(drain.Url));

    protected override async Task<bool> DeliverAsync(IReadOnlyList<LogEntry> batch, CancellationToken cancellationToken)
    {
        _frames.ResetWrittenCount();
        foreach (var entry in batch)
        {
            SyslogFrame.Append(_frames, entry.Line, "host", strict: false);
        }

        var frameId = Guid.NewGuid().ToString("N");
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            string failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ReadOnlyMemoryContent(_frames.WrittenMemory) };
                request.Content.Headers.ContentType = LogplexContentType;
                request.Headers.TryAddWithoutValidation("Logplex-Msg-Count", batch.Count.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation("Logplex-Frame-Id", frameId);
                request.Headers.TryAddWithoutValidation("Logplex-Drain-Token", Drain.Token);
                request.Headers.TryAddWithoutValidation("User-Agent", "Logplex/v72 (Slipway)");
                request.Headers.Authorization = _authorization;
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = e.Message;
            }

            Logger.LogWarning("Log drain {Token} ({Url}) refused a batch (attempt {Attempt} of {Attempts}): {Failure}", Drain.Token, _url, attempt, Attempts, failure);
            if (attempt < Attempts)
            {
                await BackoffAsync(attempt, cancellationToken);
            }
        }

        return false;
    }

    private static Uri WithoutUserInfo(Uri url) => new UriBuilder(url) { UserName = "", Password = "" }.Uri;

    private static AuthenticationHeaderValue? BasicFrom(Uri url) =>
        string.IsNullOrEmpty(url.UserInfo)
            ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
}
