using System.Collections.Concurrent;
using System.Text;
using Slipway.Core.Logs;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs;

/// <summary>
/// The recent log lines of every app, in memory, with live subscribers for tails and drains, in front of the persistent
/// <see cref="LogHistory"/>. Each line gets its app's next sequence number (the SSE event id). Writers never block: a
/// subscriber that cannot keep up, or a history queue that is full, loses lines (counted) rather than slowing a dyno.
/// </summary>
public sealed class AppLogBuffer(TimeProvider time, int linesPerApp = 1500, LogHistory? history = null) : IAppLog
{
    private readonly ConcurrentDictionary<string, AppLog> _apps = new(StringComparer.Ordinal);

    public void Write(string appId, string source, string process, string message)
    {
        var log = LogOf(appId);
        var now = time.GetUtcNow();
        foreach (var chunk in Split(message))
        {
            log.Append(new LogLine(now, source, process, chunk));
        }
    }

    /// <summary>The last <paramref name="lines"/> lines in memory that match the filter, oldest first.</summary>
    public IReadOnlyList<LogLine> Recent(string appId, int lines, Func<LogLine, bool>? filter = null)
    {
        if (!_apps.TryGetValue(appId, out var log))
        {
            return [];
        }

        var (entries, _) = log.Snapshot(0, long.MaxValue, lines, filter ?? (_ => true));
        return entries.Select(e => e.Line).ToList();
    }

    /// <summary>The sequence number of the app's newest line (0 when it has none).</summary>
    public long LastSequence(string appId) =>
        _apps.TryGetValue(appId, out var log) ? log.Last : history?.LastSequenceAtStart(appId) ?? 0;

    /// <summary>
    /// The newest <paramref name="limit"/> lines with <paramref name="after"/> &lt; sequence ≤ <paramref name="upTo"/> that match
    /// <paramref name="filter"/>, oldest first: from memory when the ring holds enough, else topped up from the history.
    /// </summary>
    public async Task<IReadOnlyList<LogEntry>> ReadAsync(string appId, long after, long upTo, int limit, LogFilter filter, CancellationToken cancellationToken = default)
    {
        List<LogEntry> recent = [];
        var oldestInRing = upTo + 1;
        if (_apps.TryGetValue(appId, out var log))
        {
            (recent, oldestInRing) = log.Snapshot(after, upTo, limit, filter.Matches);
        }

        var before = Math.Min(oldestInRing, upTo + 1);
        if (recent.Count >= limit || history is null || before <= after + 1)
        {
            return recent;
        }

        var older = await history.ReadAsync(appId, after, before, limit - recent.Count, filter, cancellationToken);
        older.AddRange(recent);
        return older;
    }

    /// <summary>
    /// Receives every line written after the call until the returned subscription is disposed; its
    /// <see cref="LogSubscription.StartsAfter"/> is the last sequence it will not see, so a backlog read up to it leaves no gap.
    /// Only lines that match <paramref name="filter"/> (all when null) are offered to it.
    /// </summary>
    public LogSubscription Subscribe(string appId, int capacity = 10_000, LogFilter? filter = null) => LogOf(appId).Subscribe(capacity, filter ?? LogFilter.All);

    /// <summary>Drops an app's lines from memory and history (the app was destroyed).</summary>
    public void Forget(string appId)
    {
        _apps.TryRemove(appId, out _);
        history?.Store.Delete(appId);
    }

    private AppLog LogOf(string appId) =>
        _apps.TryGetValue(appId, out var log) ? log : _apps.GetOrAdd(appId, id => new AppLog(id, linesPerApp, history));

    /// <summary>Logplex splits messages longer than 10,000 bytes into chunks of that size.</summary>
    private static IEnumerable<string> Split(string message)
    {
        if (message.Length <= LogLine.MaxMessageBytes / 3 || Encoding.UTF8.GetByteCount(message) <= LogLine.MaxMessageBytes)
        {
            yield return message;
            yield break;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = Math.Min(LogLine.MaxMessageBytes, bytes.Length - offset);
            while (offset + length < bytes.Length && length > 0 && (bytes[offset + length] & 0xC0) == 0x80)
            {
                length--; // never cut a UTF-8 sequence in half
            }

            yield return Encoding.UTF8.GetString(bytes, offset, length);
            offset += length;
        }
    }

    private sealed class AppLog(string appId, int capacity, LogHistory? history)
    {
        private readonly LogEntry[] _ring = new LogEntry[capacity];
        private readonly Lock _gate = new();
        private LogSubscription[] _subscribers = [];
        private long _last = history?.LastSequenceAtStart(appId) ?? 0;
        private long _firstInRing;

        public long Last
        {
            get
            {
                lock (_gate)
                {
                    return _last;
                }
            }
        }

        public void Append(LogLine line)
        {
            // Everything under one lock, so the ring, the history queue and every subscriber see one order.
            lock (_gate)
            {
                var entry = new LogEntry(appId, ++_last, line);
                if (_firstInRing == 0)
                {
                    _firstInRing = entry.Sequence;
                }

                _ring[entry.Sequence % _ring.Length] = entry;
                history?.Enqueue(entry);
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Offer(entry);
                }
            }
        }

        /// <summary>Newest matching entries first up to <paramref name="limit"/>, returned oldest first, and the lowest sequence the ring holds.</summary>
        public (List<LogEntry> Entries, long OldestInRing) Snapshot(long after, long upTo, int limit, Func<LogLine, bool> filter)
        {
            var result = new List<LogEntry>();
            long oldest;
            lock (_gate)
            {
                oldest = _firstInRing == 0 ? _last + 1 : Math.Max(_firstInRing, _last - _ring.Length + 1);
                for (var sequence = Math.Min(upTo, _last); sequence >= oldest && sequence > after && result.Count < limit; sequence--)
                {
                    var entry = _ring[sequence % _ring.Length];
                    if (filter(entry.Line))
                    {
                        result.Add(entry);
                    }
                }
            }

            result.Reverse();
            return (result, oldest);
        }

        public LogSubscription Subscribe(int capacity, LogFilter filter)
        {
            lock (_gate)
            {
                LogSubscription? subscription = null;
                subscription = new LogSubscription(capacity, _last, filter, () =>
                {
                    lock (_gate)
                    {
                        _subscribers = [.. _subscribers.Where(s => s != subscription)];
                    }
                });
                _subscribers = [.. _subscribers, subscription];
                return subscription;
            }
        }
    }
}
