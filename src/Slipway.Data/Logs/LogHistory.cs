using System.Threading.Channels;

namespace Slipway.Data.Logs;

/// <summary>
/// Writes log lines to the <see cref="LogHistoryStore"/> in batches from one background loop, so a chatty dyno never waits
/// for SQLite: <see cref="Enqueue"/> only queues, and beyond <c>queueCapacity</c> waiting lines it drops (and counts) instead.
/// </summary>
public sealed class LogHistory : IAsyncDisposable
{
    private const int MaxBatch = 8192;

    // Lines that arrive within this window share one transaction. Steady traffic (a router line per request) otherwise
    // paid a commit and a statement preparation for every line or two; tails read the ring, and a flush never waits.
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(20);

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, long> _lastSequences;
    private readonly int _queueCapacity;
    private readonly Action<Exception>? _onError;
    private readonly Task _loop;
    private long _queued;
    private long _dropped;
    private long _written;

    public LogHistory(LogHistoryStore store, int queueCapacity = 200_000, Action<Exception>? onError = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        Store = store;
        _queueCapacity = queueCapacity;
        _onError = onError;
        store.EnsureCreated();
        _lastSequences = store.LastSequences();
        _loop = Task.Run(RunAsync);
    }

    public LogHistoryStore Store { get; }

    /// <summary>Lines that did not reach the history because the queue was full or a write failed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Lines stored so far by this process.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>The last sequence number an app had when this process started (0 for none).</summary>
    public long LastSequenceAtStart(string appId) => _lastSequences.GetValueOrDefault(appId);

    /// <summary>Queues a line for the history; never blocks. False when it was dropped.</summary>
    public bool Enqueue(LogEntry entry)
    {
        if (Interlocked.Increment(ref _queued) > _queueCapacity || !_queue.Writer.TryWrite(entry))
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return false;
        }

        return true;
    }

    /// <summary>Completes once every line queued before the call has been stored (or dropped by a failed write).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(flushed))
        {
            return _loop; // stopping: the loop completes after writing everything
        }

        return flushed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The stored lines of one app after flushing what is queued; see <see cref="LogHistoryStore.Read"/>.</summary>
    public async Task<List<LogEntry>> ReadAsync(string appId, long after, long before, int limit, LogFilter filter, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        return Store.Read(appId, after, before, limit, filter);
    }

    /// <summary>Stops accepting lines, writes what is queued and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<LogEntry>(MaxBatch);
        var flushes = new List<TaskCompletionSource>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            if (reader.TryPeek(out var first) && first is LogEntry)
            {
                await Task.Delay(GatherWindow);
            }

            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item is LogEntry entry)
                {
                    batch.Add(entry);
                }
                else
                {
                    flushes.Add((TaskCompletionSource)item);
                }
            }

            Write(batch);
            Interlocked.Add(ref _queued, -batch.Count);
            batch.Clear();
            foreach (var flush in flushes)
            {
                flush.TrySetResult();
            }

            flushes.Clear();
        }
    }

    private void Write(List<LogEntry> batch)
    {
        try
        {
            Store.Append(batch);
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            // A full disk or a broken file must not stop the platform: these lines are lost, and counted.
            Interlocked.Add(ref _dropped, batch.Count);
            _onError?.Invoke(e);
        }
    }
}
