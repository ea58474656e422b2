using System.Buffers;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Logs;
using Slipway.Data.Logs;
using Slipway.Runtime.Logs;

namespace Slipway.Runtime.Tests.Logs;

public sealed class LogEventStreamTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero));
    private readonly LogOptions _options = new() { LogKeepAliveSeconds = 10 };

    [Fact]
    public async Task WithoutTail_SendsTheLastLinesAsEventsWithIds_ThenEnds()
    {
        var buffer = new AppLogBuffer(_time);
        for (var i = 1; i <= 5; i++)
        {
            buffer.Write("a", LogSources.App, "web.1", $"line {i}");
        }

        var output = new CapturedStream();
        await new LogEventStream(buffer, _time, _options).WriteAsync(Session(lines: 2, tail: false), null, output, TestContext.Current.CancellationToken);

        Assert.Equal(
            "id: 4\ndata: 2026-11-29T21:00:00.000000+00:00 app[web.1]: line 4\n\n" +
            "id: 5\ndata: 2026-11-29T21:00:00.000000+00:00 app[web.1]: line 5\n\n",
            output.Text);
    }

    [Fact]
    public async Task LastEventId_ResumesRightAfterThatLine()
    {
        var buffer = new AppLogBuffer(_time);
        for (var i = 1; i <= 5; i++)
        {
            buffer.Write("a", LogSources.App, "web.1", $"line {i}");
        }

        var output = new CapturedStream();
        await new LogEventStream(buffer, _time, _options).WriteAsync(Session(lines: 1, tail: false), lastEventId: 2, output, TestContext.Current.CancellationToken);
        Assert.Equal(["id: 3", "id: 4", "id: 5"], output.Text.Split('\n').Where(l => l.StartsWith("id:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tail_SendsBacklogThenLiveLines_AndKeepAlivesWhileIdle()
    {
        var buffer = new AppLogBuffer(_time);
        buffer.Write("a", LogSources.App, "web.1", "old line");
        buffer.Write("a", LogSources.Heroku, "router", "not for this filter");
        var output = new CapturedStream();
        using var stop = new CancellationTokenSource();
        var session = Session(lines: 10, tail: true) with { Filter = new LogFilter(Source: LogSources.App) };
        var streaming = new LogEventStream(buffer, _time, _options).WriteAsync(session, null, output, stop.Token);

        await Eventually.TrueAsync(() => output.Text.Contains("old line", StringComparison.Ordinal), () => output.Text);
        buffer.Write("a", LogSources.Heroku, "web.1", "filtered out");
        buffer.Write("a", LogSources.App, "api", "Set FOO config vars by user dev@example.com");
        await Eventually.TrueAsync(() => output.Text.Contains("app[api]: Set FOO", StringComparison.Ordinal), () => output.Text);

        await Eventually.TrueAsync(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            return output.Text.Contains(": keep-alive\n\n", StringComparison.Ordinal);
        }, () => output.Text);

        await stop.CancelAsync();
        await streaming;
        Assert.DoesNotContain("filtered out", output.Text);
        Assert.DoesNotContain("router", output.Text);
        Assert.Contains("id: 4\ndata: 2026-11-29T21:00:00.000000+00:00 app[api]: Set FOO config vars by user dev@example.com\n\n", output.Text);
    }

    [Fact]
    public async Task Tail_ThatFallsBehind_SaysL11()
    {
        var buffer = new AppLogBuffer(_time);
        var output = new CapturedStream();
        using var stop = new CancellationTokenSource();
        var streaming = new LogEventStream(buffer, _time, _options with { LogTailBufferLines = 1 }).WriteAsync(Session(lines: 0, tail: true), null, output, stop.Token);
        await Eventually.TrueAsync(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                buffer.Write("a", LogSources.App, "web.1", "flood");
            }

            return output.Text.Contains("Error L11 (Tail buffer overflow)", StringComparison.Ordinal);
        }, () => output.Text);
        await stop.CancelAsync();
        await streaming;
    }

    [Fact]
    public void AppendEvent_PutsEachLineOfTheTextInItsOwnDataField()
    {
        var output = new ArrayBufferWriter<byte>();
        LogEventStream.AppendEvent(output, 7, "one\r\ntwo\rthree\nfour");
        Assert.Equal("id: 7\ndata: one\ndata: two\ndata: three\ndata: four\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static LogSession Session(int lines, bool tail) => new("session", "a", lines, tail, LogFilter.All);
}
