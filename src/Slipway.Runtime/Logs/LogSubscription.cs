using System.Threading.Channels;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs;

/// <summary>A live tail of one app's log; lines beyond its capacity are dropped and counted.</summary>
public sealed class LogSubscription(int capacity, long startsAfter, Action unsubscribe) : IDisposable
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
        if (!_channel.Writer.TryWrite(entry))
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
