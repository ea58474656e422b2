using System.Buffers;
using System.Globalization;
using System.Text;
using Slipway.Core.Logs;
using Slipway.Data.Logs;

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

        using var tail = buffer.Subscribe(session.AppId, options.LogTailBufferLines, session.Filter);
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

    /// <summary>One event for a stored line: <c>id:</c> its sequence, <c>data:</c> the line, formatted straight into UTF-8.</summary>
    public static void AppendEvent(IBufferWriter<byte> output, LogEntry entry)
    {
        var line = entry.Line;
        if (line.Message.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            AppendEvent(output, entry.Sequence, line.ToString());
            return;
        }

        // The common case: a dyno's output never holds a line break, so the line is one data: field.
        var span = output.GetSpan(32 + line.MaxUtf8Length);
        var written = Encoding.ASCII.GetBytes("id: ", span);
        entry.Sequence.TryFormat(span[written..], out var digits, provider: CultureInfo.InvariantCulture);
        written += digits;
        written += Encoding.ASCII.GetBytes("\ndata: ", span[written..]);
        written += line.FormatUtf8(span[written..]);
        written += Encoding.ASCII.GetBytes("\n\n", span[written..]);
        output.Advance(written);
    }

    /// <summary>One event: <c>id:</c> (when given) then a <c>data:</c> line per line of the text (a bare CR or LF would end the field).</summary>
    public static void AppendEvent(IBufferWriter<byte> output, long? id, string text)
    {
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
            AppendEvent(events, entry);
        }
    }

    /// <summary>
    /// Sends live lines as they come: each wake-up writes every line waiting (in <see cref="FlushBytes"/> pieces) and flushes
    /// once, so a reader that keeps up gets large writes, not one syscall per line. Lines the tail's buffer had to drop are
    /// caught up from the ring and the history, in order; only what those no longer hold is lost, and reported as L11.
    /// </summary>
    private async Task FollowAsync(LogSession session, LogSubscription tail, ArrayBufferWriter<byte> events, Stream output, CancellationToken cancellationToken)
    {
        var lastSent = tail.StartsAfter;
        var reader = tail.Lines;
        // One timer for the stream's life: re-arming a delay per wake-up costs more than the lines it waits for.
        using var keepAlive = new PeriodicTimer(TimeSpan.FromSeconds(options.LogKeepAliveSeconds), time);
        var tick = keepAlive.WaitForNextTickAsync(cancellationToken).AsTask();
        var sentSinceTick = false;
        long reportedDrops = 0;
        while (true)
        {
            var ready = reader.WaitToReadAsync(cancellationToken).AsTask();
            while (!ready.IsCompleted && await Task.WhenAny(ready, tick) == tick)
            {
                await tick; // throws when the stream itself was cancelled
                if (!sentSinceTick)
                {
                    events.Write(KeepAlive);
                    await FlushAsync(events, output, cancellationToken);
                }

                sentSinceTick = false;
                tick = keepAlive.WaitForNextTickAsync(cancellationToken).AsTask();
            }

            if (!await ready)
            {
                return;
            }

            // At most a buffer's worth per round, so an L11 is reported promptly even while a flood goes on.
            for (var sent = 0; sent < options.LogTailBufferLines && reader.TryRead(out var entry); sent++)
            {
                if (entry.Sequence > lastSent) // lines up to lastSent went out with a catch-up
                {
                    AppendEvent(events, entry);
                    lastSent = entry.Sequence;
                    await WritePieceAsync(events, output, cancellationToken);
                }
            }

            if (tail.Dropped > reportedDrops)
            {
                // Read the count before the app's last line: a drop after it is caught up next round.
                reportedDrops = tail.Dropped;
                var upTo = buffer.LastSequence(session.AppId);
                long lost = 0;
                // Window by window, oldest first, every line of every source: each sequence is a line, so one neither store
                // still holds is a line lost, whether or not it would have matched the session's filter.
                for (var from = lastSent; from < upTo; from += options.LogTailBufferLines)
                {
                    var to = Math.Min(upTo, from + options.LogTailBufferLines);
                    var held = await buffer.ReadAsync(session.AppId, from, to, options.LogTailBufferLines, LogFilter.All, cancellationToken);
                    lost += to - from - held.Count;
                    foreach (var entry in held.Where(e => session.Filter.Matches(e.Line)))
                    {
                        AppendEvent(events, entry);
                        await WritePieceAsync(events, output, cancellationToken);
                    }
                }

                lastSent = Math.Max(lastSent, upTo);
                if (lost > 0)
                {
                    // Logplex's L11. No id, so a reconnect still resumes from the last real line. A filtered session cannot
                    // tell which of the lost lines it would have shown: it says so rather than undercount.
                    var dropped = session.Filter.IsAll ? $"dropped {lost} messages" : $"may have dropped up to {lost} messages";
                    var line = new LogLine(time.GetUtcNow(), LogSources.Heroku, "logplex", $"Error L11 (Tail buffer overflow) -> This tail session {dropped}");
                    AppendEvent(events, null, line.ToString());
                }
            }

            await FlushAsync(events, output, cancellationToken);
            sentSinceTick = true;
        }
    }

    private static async Task WritePieceAsync(ArrayBufferWriter<byte> events, Stream output, CancellationToken cancellationToken)
    {
        if (events.WrittenCount >= FlushBytes)
        {
            await output.WriteAsync(events.WrittenMemory, cancellationToken);
            events.ResetWrittenCount();
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
