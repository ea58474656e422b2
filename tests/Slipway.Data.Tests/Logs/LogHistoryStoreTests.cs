using Slipway.Core.Logs;
using Slipway.Data.Logs;

namespace Slipway.Data.Tests.Logs;

public sealed class LogHistoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 21, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-logs-").FullName;

    private string DatabasePath => Path.Combine(_directory, "logs.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Append_KeepsTheLastLinesPerApp_AndSurvivesReopening()
    {
        var store = Open(linesPerApp: 3);
        store.Append([.. Enumerable.Range(1, 5).Select(i => Entry("a", i, "web.1", $"line {i}")), Entry("b", 1, "web.1", "other app")]);

        var reopened = Open(linesPerApp: 3);
        Assert.Equal(["line 3", "line 4", "line 5"], reopened.Read("a", 0, long.MaxValue, 10, LogFilter.All).Select(e => e.Line.Message));
        Assert.Equal([3L, 4L, 5L], reopened.Read("a", 0, long.MaxValue, 10, LogFilter.All).Select(e => e.Sequence));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5, ["b"] = 1 }, reopened.LastSequences());
    }

    [Fact]
    public void Read_TakesTheNewestWithinBounds_OldestFirst()
    {
        var store = Open(linesPerApp: 100);
        store.Append([.. Enumerable.Range(1, 10).Select(i => Entry("a", i, "web.1", $"line {i}"))]);

        Assert.Equal([6L, 7L], store.Read("a", after: 2, before: 8, limit: 2, LogFilter.All).Select(e => e.Sequence));
        Assert.Equal([3L, 4L], store.Read("a", after: 2, before: 5, limit: 100, LogFilter.All).Select(e => e.Sequence));
        Assert.Empty(store.Read("a", after: 4, before: 5, limit: 100, LogFilter.All));
        Assert.Empty(store.Read("missing", 0, long.MaxValue, 100, LogFilter.All));
    }

    [Fact]
    public void Read_FiltersBySourceAndDyno_LikeLogplex()
    {
        var store = Open(linesPerApp: 100);
        store.Append(
        [
            Entry("a", 1, "web.1", "from web.1"),
            Entry("a", 2, "web.12", "from web.12"),
            Entry("a", 3, "worker.1", "from worker.1"),
            Entry("a", 4, "api", "Set FOO config vars", LogSources.App),
            Entry("a", 5, "web.1", "State changed from starting to up", LogSources.Heroku),
            Entry("a", 6, "webby.1", "not web"),
        ]);

        Assert.Equal([1L, 2L, 5L], Sequences(store, new LogFilter(Dyno: "web")));
        Assert.Equal([1L, 5L], Sequences(store, new LogFilter(Dyno: "web.1")));
        Assert.Equal([5L], Sequences(store, new LogFilter(Source: LogSources.Heroku)));
        Assert.Equal([4L], Sequences(store, new LogFilter(LogSources.App, "api")));
        Assert.Equal([1L], Sequences(store, new LogFilter(LogSources.App, "web.1")));
    }

    [Fact]
    public void Append_KeepsTimestampsToTheMicrosecond()
    {
        var store = Open(linesPerApp: 10);
        var at = At.AddTicks(1_234_560);
        store.Append([new LogEntry("a", 1, new LogLine(at, LogSources.App, "web.1", "hello ünïcode"))]);
        var line = Assert.Single(store.Read("a", 0, long.MaxValue, 10, LogFilter.All)).Line;
        Assert.Equal(at, line.Timestamp);
        Assert.Equal("2026-11-29T21:00:00.123456+00:00 app[web.1]: hello ünïcode", line.ToString());
    }

    [Fact]
    public void Delete_ForgetsOneApp()
    {
        var store = Open(linesPerApp: 10);
        store.Append([Entry("a", 1, "web.1", "a"), Entry("b", 1, "web.1", "b")]);
        store.Delete("a");
        Assert.Empty(store.Read("a", 0, long.MaxValue, 10, LogFilter.All));
        Assert.Single(store.Read("b", 0, long.MaxValue, 10, LogFilter.All));
    }

    [Fact]
    public void LogFilter_MatchesProcessTypesAndExactDynos()
    {
        var web = new LogFilter(Dyno: "web");
        Assert.True(web.Matches(new LogLine(At, LogSources.App, "web.3", "")));
        Assert.True(web.Matches(new LogLine(At, LogSources.App, "web", "")));
        Assert.False(web.Matches(new LogLine(At, LogSources.App, "webby.1", "")));
        Assert.False(new LogFilter(Source: LogSources.App).Matches(new LogLine(At, LogSources.Heroku, "router", "")));
        Assert.True(LogFilter.All.Matches(new LogLine(At, LogSources.Heroku, "router", "")));
    }

    private LogHistoryStore Open(int linesPerApp)
    {
        var store = new LogHistoryStore(DatabasePath, linesPerApp);
        store.EnsureCreated();
        return store;
    }

    private static List<long> Sequences(LogHistoryStore store, LogFilter filter) =>
        store.Read("a", 0, long.MaxValue, 100, filter).Select(e => e.Sequence).ToList();

    private static LogEntry Entry(string app, long sequence, string process, string message, string source = LogSources.App) =>
        new(app, sequence, new LogLine(At.AddSeconds(sequence), source, process, message));
}
