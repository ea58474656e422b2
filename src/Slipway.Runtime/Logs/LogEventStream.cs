using System.Buffers;
using System.Globalization;
using System.Text;
using Slipway.Core.Logs;

namespace Slipway.Runtime.Logs;

/// <summary>
/// Writes a log session as Server-Sent Events, the way the heroku CLI's EventSource reads a <c>logplex_url</c>: one
/// <c>data:</c> event per line with the line's sequence as <c>id:</c>; the backlog, then (when tailing) live lines with
/// <c>: keep-alive</c> comments while idle. A reconnect's <c>Last-Event-ID</c> resumes right after that line.
/// </summary>
public sealed class LogEventStream(AppLogBuffer buffer, TimeProvider time, LogOptions options)
{
    private const int FlushBytes = 64 * 1024;

    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    /// <summary>Streams until the backlog is sent (no tail) or until <paramref name="cancellationToken"/> fires (tail).</summary>
    public async Task WriteAsync(LogSession session, long? lastEventId, Stream output, CancellationToken cancellationToken)
    {
        var events = new ArrayBufferWriter<byte>(FlushBytes);
        if (!session.Tail)
        {
            await WriteBacklogAsync(session, lastEventId, buffer.LastSequence(session.AppId), events, cancellationToken);
            await FlushAsync(events, output, cancellationToken);
            return;
        }

        using var tail = buffer.Subscribe(session.AppId, options.LogTailBufferLines);
        await WriteBacklogAsync(session, lastEventId, tail.StartsAfter, events, cancellationToken);
        await FlushAsync(events, output, cancellationToken);
        try
        {
            await FollowAsync(session, tail, events, output, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or slipwayd is stopping; a reconnecting client resumes from its Last-Event-ID.
        }
    }

    /// <summary>One event: <c>id:</c> then a <c>data:</c> line per line of the text (a bare CR or LF would end the field).</summary>
    public static void AppendEvent(IBufferWriter<byte> output, long? id, string text)
    {
        if (id is { } sequence && text.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            // The common case, without intermediate strings: a dyno's output never holds a line break.
            var span = output.GetSpan(32 + Encoding.UTF8.GetMaxByteCount(text.Length));
            var written = Encoding.ASCII.GetBytes("id: ", span);
            sequence.TryFormat(span[written..], out var digits, provider: CultureInfo.InvariantCulture);
            written += digits;
            written += Encoding.ASCII.GetBytes("\ndata: ", span[written..]);
            written += Encoding.UTF8.GetBytes(text, span[written..]);
            written += Encoding.ASCII.GetBytes("\n\n", span[written..]);
            output.Advance(written);
            return;
        }

        var builder = new StringBuilder(text.Length + 32);
        if (id is { } value)
        {
            builder.Append("id: ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (var part in text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None))
        {
            builder.Append("data: ").Append(part).Append('\n');
        }

        builder.Append('\n');
        var fields = builder.ToString();
        output.Advance(Encoding.UTF8.GetBytes(fields, output.GetSpan(Encoding.UTF8.GetMaxByteCount(fields.Length))));
    }

    private async Task WriteBacklogAsync(LogSession session, long? lastEventId, long upTo, ArrayBufferWriter<byte> events, CancellationToken cancellationToken)
    {
        // A reconnect wants everything it missed (as far as the history reaches); a new session wants its last N lines.
        var (after, limit) = lastEventId is { } id ? (id, int.MaxValue) : (0L, session.Lines);
        foreach (var entry in await buffer.ReadAsync(session.AppId, after, upTo, limit, session.Filter, cancellationToken))
        {
            AppendEvent(events, entry.Sequence, entry.Line.ToString());
        }
    }

    private async Task FollowAsync(LogSession session, LogSubscription tail, ArrayBufferWriter<byte> events, Stream output, CancellationToken cancellationToken)
    {
        var reader = tail.Lines;
        var keepAlive = TimeSpan.FromSeconds(options.LogKeepAliveSeconds);
        long reportedDrops = 0;
        while (true)
        {
            var ready = reader.WaitToReadAsync(cancellationToken).AsTask();
            while (!ready.IsCompleted)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(keepAlive, time, idle.Token);
                if (await Task.WhenAny(ready, delay) == delay)
                {
                    await delay; // throws when the stream itself was cancelled
                    events.Write(KeepAlive);
                    await FlushAsync(events, output, cancellationToken);
                }
                else
                {
                    await idle.CancelAsync();
                }
            }

            if (!await ready)
            {
                return;
            }

            while (events.WrittenCount < FlushBytes && reader.TryRead(out var entry))
            {
                if (session.Filter.Matches(entry.Line))
                {
                    AppendEvent(events, entry.Sequence, entry.Line.ToString());
                }
            }

            if (tail.Dropped > reportedDrops)
            {
                // Logplex's L11: the tail could not keep up. No id, so a reconnect still resumes from the last real line.
                var line = new LogLine(time.GetUtcNow(), LogSources.Heroku, "logplex",
                    $"Error L11 (Tail buffer overflow) -> This tail session dropped {tail.Dropped - reportedDrops} messages");
                AppendEvent(events, null, line.ToString());
                reportedDrops = tail.Dropped;
            }

            await FlushAsync(events, output, cancellationToken);
        }
    }

    private static async Task FlushAsync(ArrayBufferWriter<byte> events, Stream output, CancellationToken cancellationToken)
    {
        if (events.WrittenCount > 0)
        {
            await output.WriteAsync(events.WrittenMemory, cancellationToken);
            events.ResetWrittenCount();
        }

        await output.FlushAsync(cancellationToken);
    }
}
