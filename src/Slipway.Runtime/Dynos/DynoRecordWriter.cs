using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Slipway.Core.Dynos;
using Slipway.Data.Dynos;

namespace Slipway.Runtime.Dynos;

/// <summary>
/// Keeps the dynos table in step with the reconciler without holding it up: changes are queued and written in order by one
/// loop, a batch per transaction. A synchronous commit per state change cost a start more than the rest of its platform work.
/// </summary>
internal sealed class DynoRecordWriter
{
    private const int MaxBatch = 512;

    private readonly Channel<DynoRecordChange> _queue = Channel.CreateUnbounded<DynoRecordChange>(new() { SingleReader = true });
    private readonly DynoRepository _records;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public DynoRecordWriter(DynoRepository records, ILogger logger)
    {
        _records = records;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Upsert(DynoRecord dyno) => _queue.Writer.TryWrite(DynoRecordChange.Upsert(dyno));

    public void Delete(string dynoId) => _queue.Writer.TryWrite(DynoRecordChange.Delete(dynoId));

    /// <summary>Writes what is queued and stops taking changes (slipwayd is stopping).</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<DynoRecordChange>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }

            try
            {
                await _records.ApplyAsync(batch);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The table is informational (start-up clears it); a failed write must not stop the reconciler.
                _logger.LogError(e, "Recording {Count} dyno changes failed", batch.Count);
            }

            batch.Clear();
        }
    }
}
