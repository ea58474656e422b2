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
    public async Task Tail_KeepsEveryLine_WhenTheReaderKeepsUp_AndOtherLinesTakeNoRoom()
    {
        var buffer = new AppLogBuffer(_time);
        var output = new CapturedStream();
        using var stop = new CancellationTokenSource();
        var session = Session(lines: 0, tail: true) with { Filter = new LogFilter(LogSources.App, "web.1") };
        var streaming = new LogEventStream(buffer, _time, _options with { LogTailBufferLines = 100 }).WriteAsync(session, null, output, stop.Token);
        for (var burst = 0; burst < 20; burst++)
        {
            // A full buffer of matching lines per burst, each followed by a line of another dyno that the tail does not want.
            for (var i = 0; i < 100; i++)
            {
                buffer.Write("a", LogSources.App, "web.1", $"burst {burst} line {i}");
                buffer.Write("a", LogSources.App, "worker.1", "not tailed");
            }

            var last = $"app[web.1]: burst {burst} line 99\n";
            await Eventually.TrueAsync(() => output.Text.Contains(last, StringComparison.Ordinal), () => output.Text[^200..]);
        }

        await stop.CancelAsync();
        await streaming;
        var text = output.Text;
        Assert.DoesNotContain("L11", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not tailed", text, StringComparison.Ordinal);
        var ids = text.Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => 1 + 2L * i), ids);
    }

    [Fact]
    public async Task Tail_WhoseReaderStalls_CatchesUpWhatItsBufferDropped_FromTheRing_WithoutL11()
    {
        var text = await StallThenWriteAsync(new AppLogBuffer(_time), lines: 16);

        Assert.DoesNotContain("L11", text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), Ids(text));
        Assert.Contains("app[web.1]: line 16\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_WhoseReaderStalls_PastWhatTheRingHolds_SaysL11WithTheCountLost()
    {
        var text = await StallThenWriteAsync(new AppLogBuffer(_time, linesPerApp: 3), lines: 20);

        // Lines 2-11 filled the tail's buffer of 10; of the 9 it dropped, the ring of 3 still held 18-20: 12-17 are gone.
        Assert.Contains("heroku[logplex]: Error L11 (Tail buffer overflow) -> This tail session dropped 6 messages\n", text, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(1, 11).Select(i => (long)i), 18, 19, 20], Ids(text));
    }

    [Fact]
    public async Task Tail_WhoseReaderStalls_ForManyBuffersWorth_CatchesUpEveryLine_InOrder()
    {
        var text = await StallThenWriteAsync(new AppLogBuffer(_time), lines: 45, new LogFilter(Dyno: "web.1"));

        Assert.DoesNotContain("L11", text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 45).Select(i => (long)i), Ids(text));
    }

    [Fact]
    public async Task FilteredTail_PastWhatTheRingHolds_SaysL11_ForTheLinesItCannotAccountFor()
    {
        var text = await StallThenWriteAsync(new AppLogBuffer(_time, linesPerApp: 3), lines: 20, new LogFilter(Dyno: "web.1"));

        Assert.Contains("heroku[logplex]: Error L11 (Tail buffer overflow) -> This tail session may have dropped up to 6 messages\n", text, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(1, 11).Select(i => (long)i), 18, 19, 20], Ids(text));
    }

    /// <summary>Line 1 gets the stream stuck in a write; lines 2..<paramref name="lines"/> arrive meanwhile; then it resumes.</summary>
    private async Task<string> StallThenWriteAsync(AppLogBuffer buffer, int lines, LogFilter? filter = null)
    {
        var output = new StalledStream();
        using var stop = new CancellationTokenSource();
        var session = Session(lines: 0, tail: true) with { Filter = filter ?? LogFilter.All };
        var streaming = new LogEventStream(buffer, _time, _options with { LogTailBufferLines = 10 }).WriteAsync(session, null, output, stop.Token);

        buffer.Write("a", LogSources.App, "web.1", "line 1");
        await output.Stalled.WaitAsync(TestContext.Current.CancellationToken);
        for (var i = 2; i <= lines; i++)
        {
            buffer.Write("a", LogSources.App, "web.1", $"line {i}");
        }

        output.Resume();
        var last = $"app[web.1]: line {lines}\n";
        await Eventually.TrueAsync(() => output.Text.Contains(last, StringComparison.Ordinal), () => output.Text);
        await stop.CancelAsync();
        await streaming;
        return output.Text;
    }

    private static IEnumerable<long> Ids(string text) =>
        text.Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void AppendEvent_PutsEachLineOfTheTextInItsOwnDataField()
    {
        var output = new ArrayBufferWriter<byte>();
        LogEventStream.AppendEvent(output, 7, "one\r\ntwo\rthree\nfour");
        Assert.Equal("id: 7\ndata: one\ndata: two\ndata: three\ndata: four\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static LogSession Session(int lines, bool tail) => new("session", "a", lines, tail, LogFilter.All);

    /// <summary>A client that stops reading: its first write blocks until <see cref="Resume"/>.</summary>
    private sealed class StalledStream : Stream
    {
        private readonly CapturedStream _received = new();
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stalled => _stalled.Task;

        public string Text => _received.Text;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Resume() => _resumed.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _stalled.TrySetResult();
            await _resumed.Task.WaitAsync(cancellationToken);
            await _received.WriteAsync(buffer, cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the tail writes asynchronously");

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
