using System.Text;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Logs;
using Slipway.Data.Logs;
using Slipway.Runtime.Logs;

namespace Slipway.Runtime.Tests.Logs;

public sealed class AppLogBufferTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-logs-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Recent_KeepsTheLastLinesPerApp_OldestFirst()
    {
        var log = new AppLogBuffer(_time, linesPerApp: 3);
        for (var i = 1; i <= 5; i++)
        {
            log.Write("a", LogSources.App, "web.1", $"line {i}");
        }

        log.Write("b", LogSources.Heroku, "web.1", "other app");
        Assert.Equal(["line 3", "line 4", "line 5"], log.Recent("a", 10).Select(l => l.Message));
        Assert.Equal(["line 5"], log.Recent("a", 1).Select(l => l.Message));
        Assert.Equal("other app", Assert.Single(log.Recent("b", 10)).Message);
        Assert.Empty(log.Recent("c", 10));
        Assert.Equal(5, log.LastSequence("a"));
    }

    [Fact]
    public void Write_SplitsLongMessagesAt10000Bytes_WithoutBreakingUtf8()
    {
        var log = new AppLogBuffer(_time);
        var message = new string('é', 6000); // 12,000 bytes
        log.Write("a", LogSources.App, "web.1", message);
        var lines = log.Recent("a", 10);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l.Message) <= LogLine.MaxMessageBytes));
        Assert.Equal(message, string.Concat(lines.Select(l => l.Message)));
    }

    [Fact]
    public async Task Subscribe_ReceivesNewLines_AndCountsWhatItCouldNotKeep()
    {
        var log = new AppLogBuffer(_time);
        log.Write("a", LogSources.App, "web.1", "before");
        using var tail = log.Subscribe("a", capacity: 2);
        log.Write("a", LogSources.App, "web.1", "one");
        log.Write("a", LogSources.App, "web.1", "two");
        log.Write("a", LogSources.App, "web.1", "three");

        Assert.Equal(1, tail.StartsAfter);
        var first = await tail.Lines.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("one", 2L), (first.Line.Message, first.Sequence));
        Assert.Equal(1, tail.Dropped);
    }

    [Fact]
    public void Subscribe_WithAFilter_GivesLinesItRejectsNoRoom()
    {
        var log = new AppLogBuffer(_time);
        using var tail = log.Subscribe("a", capacity: 2, new LogFilter(Dyno: "web"));
        log.Write("a", LogSources.App, "web.1", "one");
        log.Write("a", LogSources.Heroku, "router", "at=info method=GET");
        log.Write("a", LogSources.App, "worker.1", "busy");
        log.Write("a", LogSources.App, "web.2", "two");

        Assert.Equal(0, tail.Dropped);
        var received = new List<string>();
        while (tail.Lines.TryRead(out var entry))
        {
            received.Add(entry.Line.Message);
        }

        Assert.Equal(["one", "two"], received);
    }

    [Fact]
    public async Task ReadAsync_TopsUpTheRingFromTheHistory_WithFilters()
    {
        await using var history = new LogHistory(new LogHistoryStore(Path.Combine(_directory, "logs.db"), 1000));
        var log = new AppLogBuffer(_time, linesPerApp: 4, history);
        for (var i = 1; i <= 10; i++)
        {
            log.Write("a", LogSources.App, i % 2 == 0 ? "web.1" : "worker.1", $"line {i}");
        }

        var all = await log.ReadAsync("a", 0, log.LastSequence("a"), 6, LogFilter.All);
        Assert.Equal(Enumerable.Range(5, 6).Select(i => $"line {i}"), all.Select(e => e.Line.Message));
        Assert.Equal(Enumerable.Range(5, 6).Select(i => (long)i), all.Select(e => e.Sequence));

        var web = await log.ReadAsync("a", 0, log.LastSequence("a"), 4, new LogFilter(Dyno: "web"));
        Assert.Equal(["line 4", "line 6", "line 8", "line 10"], web.Select(e => e.Line.Message));

        var resumed = await log.ReadAsync("a", after: 2, upTo: 5, int.MaxValue, LogFilter.All);
        Assert.Equal([3L, 4L, 5L], resumed.Select(e => e.Sequence));
    }

    [Fact]
    public async Task History_SurvivesARestart_AndSequencesContinue()
    {
        var path = Path.Combine(_directory, "logs.db");
        await using (var history = new LogHistory(new LogHistoryStore(path, 1000)))
        {
            var before = new AppLogBuffer(_time, history: history);
            before.Write("a", LogSources.App, "web.1", "before the restart");
        }

        await using var reopened = new LogHistory(new LogHistoryStore(path, 1000));
        var after = new AppLogBuffer(_time, history: reopened);
        Assert.Equal(1, after.LastSequence("a"));
        after.Write("a", LogSources.Heroku, "web.1", "after the restart");

        var lines = await after.ReadAsync("a", 0, after.LastSequence("a"), 10, LogFilter.All);
        Assert.Equal([(1L, "before the restart"), (2L, "after the restart")], lines.Select(e => (e.Sequence, e.Line.Message)));
    }
}
