using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Slipway.Core.Logs;

namespace Slipway.Runtime.Logs;

/// <summary>
/// The recent log lines of every app, in memory, with live subscribers for tails. Writers never block: a subscriber
/// that cannot keep up loses lines (counted) rather than slowing a dyno or the platform.
/// </summary>
public sealed class AppLogBuffer(TimeProvider time, int linesPerApp = 1500) : IAppLog
{
    private readonly ConcurrentDictionary<string, AppLog> _apps = new(StringComparer.Ordinal);

    public void Write(string appId, string source, string process, string message)
    {
        var log = _apps.GetOrAdd(appId, _ => new AppLog(linesPerApp));
        var now = time.GetUtcNow();
        foreach (var chunk in Split(message))
        {
            log.Append(new LogLine(now, source, process, chunk));
        }
    }

    /// <summary>The last <paramref name="lines"/> lines that match the filter, oldest first.</summary>
    public IReadOnlyList<LogLine> Recent(string appId, int lines, Func<LogLine, bool>? filter = null) =>
        _apps.TryGetValue(appId, out var log) ? log.Recent(lines, filter ?? (_ => true)) : [];

    /// <summary>Receives every line written after the call until the returned subscription is disposed.</summary>
    public LogSubscription Subscribe(string appId, int capacity = 10_000)
    {
        var log = _apps.GetOrAdd(appId, _ => new AppLog(linesPerApp));
        return log.Subscribe(capacity);
    }

    public void Forget(string appId) => _apps.TryRemove(appId, out _);

    /// <summary>Logplex splits messages longer than 10,000 bytes into chunks of that size.</summary>
    private static IEnumerable<string> Split(string message)
    {
        if (Encoding.UTF8.GetByteCount(message) <= LogLine.MaxMessageBytes)
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

    private sealed class AppLog(int capacity)
    {
        private readonly LogLine[] _ring = new LogLine[capacity];
        private readonly List<LogSubscription> _subscribers = [];
        private long _count;

        public void Append(LogLine line)
        {
            LogSubscription[] subscribers;
            lock (_ring)
            {
                _ring[_count % _ring.Length] = line;
                _count++;
                subscribers = _subscribers.Count == 0 ? [] : [.. _subscribers];
            }

            foreach (var subscriber in subscribers)
            {
                subscriber.Offer(line);
            }
        }

        public List<LogLine> Recent(int lines, Func<LogLine, bool> filter)
        {
            var result = new List<LogLine>();
            lock (_ring)
            {
                var available = (int)Math.Min(_count, _ring.Length);
                for (var i = 1; i <= available && result.Count < lines; i++)
                {
                    var line = _ring[(_count - i) % _ring.Length];
                    if (filter(line))
                    {
                        result.Add(line);
                    }
                }
            }

            result.Reverse();
            return result;
        }

        public LogSubscription Subscribe(int capacity)
        {
            LogSubscription? subscription = null;
            subscription = new LogSubscription(capacity, () =>
            {
                lock (_ring)
                {
                    _subscribers.Remove(subscription!);
                }
            });
            lock (_ring)
            {
                _subscribers.Add(subscription);
            }

            return subscription;
        }
    }
}

/// <summary>A live tail of one app's log; lines beyond its capacity are dropped and counted.</summary>
public sealed class LogSubscription(int capacity, Action unsubscribe) : IDisposable
{
    private readonly Channel<LogLine> _channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of blocking, so drops can be counted
        SingleReader = true,
    });

    private long _dropped;

    public ChannelReader<LogLine> Lines => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(LogLine line)
    {
        if (!_channel.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Dispose()
    {
        unsubscribe();
        _channel.Writer.TryComplete();
    }
}
