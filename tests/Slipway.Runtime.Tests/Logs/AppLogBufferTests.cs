using System.Text;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Logs;
using Slipway.Runtime.Logs;

namespace Slipway.Runtime.Tests.Logs;

public sealed class AppLogBufferTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero));

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
        using var tail = log.Subscribe("a", capacity: 2);
        log.Write("a", LogSources.App, "web.1", "one");
        log.Write("a", LogSources.App, "web.1", "two");
        log.Write("a", LogSources.App, "web.1", "three");
        Assert.Equal("one", (await tail.Lines.ReadAsync(TestContext.Current.CancellationToken)).Message);
        Assert.Equal(1, tail.Dropped);
    }
}
