using System.Threading.Channels;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs;

/// <summary>
/// A live tail of one app's log: the lines that match its filter, up to <c>capacity</c> waiting; beyond that they are dropped
/// and counted. Lines the filter rejects never take room, so only a reader that truly falls behind loses lines.
/// </summary>
public sealed class LogSubscription(int capacity, long startsAfter, LogFilter filter, Action unsubscribe) : IDisposable
{
    private readonly Channel<LogEntry> _channel = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of blocking, so drops can be counted
        SingleReader = true,
    });

    private long _dropped;

    public ChannelReader<LogEntry> Lines => _channel.Reader;

    /// <summary>The sequence of the app's newest line when the subscription began: it receives only later lines.</summary>
    public long StartsAfter { get; } = startsAfter;

    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(LogEntry entry)
    {
        if (filter.Matches(entry.Line) && !_channel.Writer.TryWrite(entry))
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
