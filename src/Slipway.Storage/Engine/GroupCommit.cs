using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Engine;

/// <summary>
/// Runs the index's write transactions through one loop that takes every write waiting, runs each in its own savepoint
/// of one IMMEDIATE transaction, in arrival order, and commits once. With synchronous=FULL every commit costs an fsync of
/// the WAL, so concurrent PUTs share one instead of queueing for one each. A write completes only after the commit that
/// holds it is durable; a write that throws is rolled back to its savepoint alone and gets its own exception.
/// </summary>
internal sealed class GroupCommit
{
    private const int MaxBatch = 256;
    private const string Savepoint = "write";

    private readonly Channel<IPendingWrite> _queue = Channel.CreateUnbounded<IPendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<Task<SqliteConnection>> _open;

    public GroupCommit(Func<Task<SqliteConnection>> open)
    {
        _open = open;
        _ = Task.Run(RunAsync);
    }

    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(work);
        _ = _queue.Writer.TryWrite(pending); // unbounded and never completed: always accepted
        return pending.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<IPendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<IPendingWrite> batch)
    {
        try
        {
            await using var connection = await _open();
            await using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var write in batch)
            {
                transaction.Save(Savepoint);
                if (!await write.RunAsync(connection, transaction))
                {
                    transaction.Rollback(Savepoint);
                }

                transaction.Release(Savepoint);
            }

            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            foreach (var write in batch)
            {
                write.Fail(e);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private interface IPendingWrite
    {
        /// <summary>Runs the work; false when it threw (its exception is kept for <see cref="Complete"/>).</summary>
        Task<bool> RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>After the commit: the work's result, or its own exception.</summary>
        void Complete();

        /// <summary>The transaction failed: nothing of the batch is committed.</summary>
        void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work) : IPendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public async Task<bool> RunAsync(SqliteConnection connection, SqliteTransaction transaction)
        {
            try
            {
                _result = await work(connection, transaction);
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public void Complete()
        {
            if (_error is null)
            {
                _done.TrySetResult(_result!);
            }
            else
            {
                _done.TrySetException(_error);
            }
        }

        public void Fail(Exception error) => _done.TrySetException(_error ?? error);
    }
}
