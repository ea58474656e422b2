using Microsoft.Extensions.Logging;
using Slipway.Core.Logs;
using Slipway.Data.Logs;

namespace Slipway.Runtime.Logs.Drains;

/// <summary>
/// Forwards one drain's lines from a bounded subscription: the app and the platform only ever offer lines to it, so a slow or
/// dead drain loses lines (reported in the app's log as L10) and never blocks them.
/// </summary>
internal abstract class DrainWorker : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly AppLogBuffer _buffer;
    private readonly LogSubscription _subscription;
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _maxBatch;
    private Task _loop = Task.CompletedTask;
    private long _lost;
    private long _reported;
    private DateTimeOffset? _lossSince;

    protected DrainWorker(LogDrainRecord drain, AppLogBuffer buffer, int capacity, int maxBatch, TimeProvider time, ILogger logger)
    {
        Drain = drain;
        _buffer = buffer;
        _maxBatch = maxBatch;
        Time = time;
        Logger = logger;
        _subscription = buffer.Subscribe(drain.AppId, capacity);
    }

    public LogDrainRecord Drain { get; }

    /// <summary>Lines this drain has lost so far: buffer overflows and batches given up on.</summary>
    public long Dropped => _subscription.Dropped + Interlocked.Read(ref _lost);

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _subscription.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        await CloseAsync();
        _stopping.Dispose();
    }

    /// <summary>Delivers a batch, retrying as the transport sees fit; false when it gave up and the batch is lost.</summary>
    protected abstract Task<bool> DeliverAsync(IReadOnlyList<LogEntry> batch, CancellationToken cancellationToken);

    protected virtual ValueTask CloseAsync() => ValueTask.CompletedTask;

    /// <summary>1, 2, 4 … seconds up to 30 after consecutive failures.</summary>
    protected Task BackoffAsync(int failures, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 5)))), Time, cancellationToken);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _subscription.Lines;
        var batch = new List<LogEntry>(_maxBatch);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (await DeliverAsync(batch, cancellationToken))
            {
                ReportLoss();
            }
            else
            {
                Interlocked.Add(ref _lost, batch.Count);
                _lossSince ??= Time.GetUtcNow();
            }

            batch.Clear();
        }
    }

    /// <summary>Once the drain takes lines again, says how many it lost, as Logplex's L10 does.</summary>
    private void ReportLoss()
    {
        var dropped = Dropped;
        if (dropped <= _reported)
        {
            return;
        }

        var since = _lossSince ?? Time.GetUtcNow();
        _buffer.Write(Drain.AppId, LogSources.Heroku, "logplex",
            $"Error L10 (output buffer overflow): {dropped - _reported} messages dropped since {LogLine.FormatTimestamp(since)} on drain {Drain.Token}.");
        Logger.LogWarning("Log drain {Token} of app {App} dropped {Count} lines", Drain.Token, Drain.AppId, dropped - _reported);
        _reported = dropped;
        _lossSince = null;
    }
}
