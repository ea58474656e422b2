using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Errors;
using Slipway.Core.Logs;
using Slipway.Data;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Logs;
using Slipway.Runtime.Logs;
using Slipway.Runtime.Logs.Drains;

namespace Slipway.Runtime.Tests.Logs.Drains;

public sealed class LogDrainsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-drains-").FullName;
    private SlipwayDatabase _database = null!;
    private string _appId = "";

    public async ValueTask InitializeAsync()
    {
        _database = new SlipwayDatabase(Path.Combine(_directory, "slipway.db"));
        await _database.MigrateAsync();
        var owner = await new AccountRepository(_database, TimeProvider.System).CreateAsync("drains@example.com", null, null, isAdmin: false);
        _appId = (await new AppRepository(_database, TimeProvider.System).CreateAsync("drained", owner.Id)).Id;
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task SyslogDrain_SendsOctetCountedRfc5424Frames()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var buffer = new AppLogBuffer(TimeProvider.System);
        await using var drains = Drains(buffer, TimeProvider.System);
        var drain = await drains.AddAsync(_appId, $"syslog://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

        buffer.Write(_appId, LogSources.App, "web.1", "héllo from the dyno");
        buffer.Write(_appId, LogSources.Heroku, LogSources.RouterProcess, "at=info method=GET path=\"/\"");
        using var peer = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var stream = peer.GetStream();
        var first = await ReadFrameAsync(stream);
        var second = await ReadFrameAsync(stream);
        Assert.Matches($@"^<190>1 \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{6}}\+00:00 {drain.Token} app web\.1 - - héllo from the dyno$", first);
        Assert.Matches($@"^<158>1 \S+ {drain.Token} heroku router - - at=info method=GET path=""/""$", second);
    }

    [Fact]
    public async Task HttpsStyleDrain_PostsLogplexBatches()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/drain/");
        listener.Start();
        var buffer = new AppLogBuffer(TimeProvider.System);
        await using var drains = Drains(buffer, TimeProvider.System);
        var drain = await drains.AddAsync(_appId, $"http://user:secret@127.0.0.1:{port}/drain/");

        buffer.Write(_appId, LogSources.App, "web.1", "State changed from starting to up");
        var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        context.Response.StatusCode = 204;
        context.Response.Close();

        Assert.Equal("POST", context.Request.HttpMethod);
        Assert.Equal("application/logplex-1", context.Request.ContentType);
        Assert.Equal("1", context.Request.Headers["Logplex-Msg-Count"]);
        Assert.Equal(drain.Token, context.Request.Headers["Logplex-Drain-Token"]);
        Assert.False(string.IsNullOrEmpty(context.Request.Headers["Logplex-Frame-Id"]));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:secret")), context.Request.Headers["Authorization"]);
        Assert.Matches(@"^\d+ <190>1 \S+ host app web\.1 - State changed from starting to up$", body);
        var length = int.Parse(body[..body.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Encoding.UTF8.GetByteCount(body) - length - 1, Encoding.UTF8.GetByteCount(body[..body.IndexOf(' ', StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task DeadDrain_NeverBlocksWriters_AndReportsL10WhenItRecovers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var port = FreePort(); // nothing listens yet: every connect is refused and the worker backs off on the fake clock
        var buffer = new AppLogBuffer(time);
        await using var drains = Drains(buffer, time, drainBuffer: 2);
        var drain = await drains.AddAsync(_appId, $"syslog://127.0.0.1:{port}");
        for (var i = 0; i < 1000; i++)
        {
            buffer.Write(_appId, LogSources.App, "web.1", $"line {i}");
        }

        Assert.True(drains.Dropped(drain.Id) > 0);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var accepting = listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).AsTask();
        await Eventually.TrueAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(30));
            return accepting.IsCompleted;
        }, () => "the drain never reconnected");

        using var peer = await accepting;
        var stream = peer.GetStream();
        string frame;
        do
        {
            frame = await ReadFrameAsync(stream);
        }
        while (!frame.Contains("Error L10", StringComparison.Ordinal));

        Assert.Matches(@"heroku logplex - - Error L10 \(output buffer overflow\): \d+ messages dropped since ", frame);
        Assert.Contains(buffer.Recent(_appId, 10), l => l.Process == "logplex" && l.Message.StartsWith("Error L10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForgetApp_StopsItsDrains_AndDropsItsLogs()
    {
        var buffer = new AppLogBuffer(TimeProvider.System);
        await using var drains = Drains(buffer, TimeProvider.System);
        var drain = await drains.AddAsync(_appId, "https://logs.example.com/ingest");
        buffer.Write(_appId, "app", "web.1", "before the app was deleted");

        drains.ForgetApp(_appId);

        Assert.Null(drains.Dropped(drain.Id));
        Assert.Empty(buffer.Recent(_appId, 10));
    }

    [Fact]
    public async Task Remove_ByUrl_StopsTheDrain()
    {
        var buffer = new AppLogBuffer(TimeProvider.System);
        await using var drains = Drains(buffer, TimeProvider.System);
        var drain = await drains.AddAsync(_appId, "https://logs.example.com/ingest");
        Assert.NotNull(drains.Dropped(drain.Id));

        Assert.Equal(drain.Id, (await drains.RemoveAsync(_appId, "https://logs.example.com/ingest"))?.Id);
        Assert.Null(drains.Dropped(drain.Id));
        Assert.Empty(await drains.ListAsync(_appId));
        Assert.Null(await drains.RemoveAsync(_appId, drain.Token));
    }

    [Theory]
    [InlineData("ftp://example.com/logs")]
    [InlineData("syslog://example.com")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Validate_RejectsWhatIsNotADrainUrl(string url)
    {
        var error = Assert.Throws<PlatformException>(() => LogDrains.Validate(url));
        Assert.Equal(422, error.Status);
        Assert.Contains("syslog://host:port", error.Message);
    }

    private LogDrains Drains(AppLogBuffer buffer, TimeProvider time, int drainBuffer = 10_000) =>
        new(new LogDrainRepository(_database, time), buffer, Options.Create(new LogOptions { LogDrainBufferLines = drainBuffer }), time, NullLogger<LogDrains>.Instance);

    /// <summary>Reads one octet-counted frame: the length, a space, then exactly that many bytes.</summary>
    private static async Task<string> ReadFrameAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, timeout.Token);
            if (one[0] == (byte)' ')
            {
                break;
            }

            length = (length * 10) + (one[0] - '0');
        }

        var message = new byte[length];
        await stream.ReadExactlyAsync(message, timeout.Token);
        return Encoding.UTF8.GetString(message);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
