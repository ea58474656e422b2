using Dapper;
using Microsoft.Data.Sqlite;
using Slipway.Storage.Engine;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.Engine;

/// <summary>Against a real SQLite file: writes queued together share a transaction but keep their order and their own outcome.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task QueuedWrites_CommitInArrivalOrder_AndAFailingOneAloneIsRolledBack()
    {
        using var directory = new TempDirectory();
        var open = Database(directory);
        var commits = new GroupCommit(open);

        var writes = Enumerable.Range(0, 60).Select(n => commits.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO log (n) VALUES (@n)", new { n }, transaction);
            return n == 30 ? throw new InvalidOperationException("write 30 fails after its insert") : n;
        })).ToList();

        for (var n = 0; n < writes.Count; n++)
        {
            if (n == 30)
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[n]);
                Assert.Equal("write 30 fails after its insert", error.Message);
            }
            else
            {
                Assert.Equal(n, await writes[n]);
            }
        }

        await using var reader = await open();
        var rows = (await reader.QueryAsync<long>("SELECT n FROM log ORDER BY id")).ToList();
        Assert.Equal(Enumerable.Range(0, 60).Where(n => n != 30).Select(n => (long)n), rows);
    }

    [Fact]
    public async Task AWrite_CompletesOnlyOnceItsCommitIsVisibleToOtherConnections()
    {
        using var directory = new TempDirectory();
        var open = Database(directory);
        var commits = new GroupCommit(open);

        var checks = Enumerable.Range(0, 20).Select(async n =>
        {
            await commits.WriteAsync((connection, transaction) => connection.ExecuteAsync("INSERT INTO log (n) VALUES (@n)", new { n }, transaction));
            await using var other = await open();
            return await other.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM log WHERE n = @n", new { n });
        }).ToList();

        Assert.All(await Task.WhenAll(checks), count => Assert.Equal(1, count));
    }

    private static Func<Task<SqliteConnection>> Database(TempDirectory directory)
    {
        var path = Path.Combine(directory.Path, "test.db");
        return async () =>
        {
            var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            await connection.OpenAsync();
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
            return connection;
        };
    }
}
