using Slipway.Core.Logs;
using Slipway.Data.Logs;

namespace Slipway.Data.Tests.Logs;

public sealed class LogHistoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-logs-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Enqueue_WritesInTheBackground_AndFlushMakesItReadable()
    {
        await using var history = new LogHistory(new LogHistoryStore(Path.Combine(_directory, "logs.db"), 10_000));
        for (var i = 1; i <= 20_000; i++)
        {
            Assert.True(history.Enqueue(Entry("a", i, $"line {i}")));
        }

        var lines = await history.ReadAsync("a", 0, long.MaxValue, 3, LogFilter.All);
        Assert.Equal(["line 19998", "line 19999", "line 20000"], lines.Select(e => e.Line.Message));
        Assert.Equal(20_000, history.Written);
        Assert.Equal(0, history.Dropped);
    }

    [Fact]
    public async Task Dispose_WritesWhatIsQueued_AndANewHistoryContinuesTheNumbering()
    {
        var path = Path.Combine(_directory, "logs.db");
        await using (var history = new LogHistory(new LogHistoryStore(path, 100)))
        {
            history.Enqueue(Entry("a", 1, "one"));
            history.Enqueue(Entry("a", 2, "two"));
        }

        await using var reopened = new LogHistory(new LogHistoryStore(path, 100));
        Assert.Equal(2, reopened.LastSequenceAtStart("a"));
        Assert.Equal(0, reopened.LastSequenceAtStart("b"));
        Assert.Equal(["one", "two"], (await reopened.ReadAsync("a", 0, long.MaxValue, 10, LogFilter.All)).Select(e => e.Line.Message));
    }

    [Fact]
    public async Task Enqueue_AfterDispose_IsCountedAsDropped()
    {
        var history = new LogHistory(new LogHistoryStore(Path.Combine(_directory, "logs.db"), 100));
        await history.DisposeAsync();
        Assert.False(history.Enqueue(Entry("a", 1, "late")));
        Assert.Equal(1, history.Dropped);
    }

    private static LogEntry Entry(string app, long sequence, string message) =>
        new(app, sequence, new LogLine(DateTimeOffset.UnixEpoch.AddSeconds(sequence), LogSources.App, "web.1", message));
}
