using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Logs;

/// <summary>Logs of a real app through a real slipwayd: history, the SSE logplex_url the heroku CLI reads, and drains.</summary>
[Collection(ServerCollection.Name)]
public sealed class LogsTests(SlipwayServer server) : EndToEndTest(server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task NodeHello_Logs_ShowDynoPlatformApiAndRouterLines()
    {
        RequireSandbox();
        var app = await CreateAppAsync("logs");
        var deploy = await Server.CliAsync("deploy", Example("node-hello"), "-a", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app)).Status);

        var logs = await EventuallyAsync(() => Server.CliAsync("logs", "-a", app, "-n", "500"), r =>
            r.Output.Contains("heroku[router]: at=info", StringComparison.Ordinal) && r.Output.Contains("app[web.1]: node-hello listening on port", StringComparison.Ordinal));
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[web\.1\]: node-hello listening on port \d+$", logs.Output);
        Assert.Contains("heroku[web.1]: Starting process with command `node server.js`", logs.Output);
        Assert.Contains("heroku[web.1]: State changed from starting to up", logs.Output);
        Assert.Contains("app[api]: Build started by user", logs.Output);
        Assert.Contains("app[api]: Release v2 created by user", logs.Output);
        Assert.Matches(@"heroku\[router\]: at=info method=GET path=""/"" host=\S+ .*status=200", logs.Output);

        var api = await Server.CliAsync("logs", "-a", app, "--source", "app", "--dyno", "api");
        Assert.True(api.ExitCode == 0, api.ToString());
        Assert.All(NonEmptyLines(api.Output), l => Assert.Contains(" app[api]: ", l));
        Assert.NotEmpty(NonEmptyLines(api.Output));

        var two = await Server.CliAsync("logs", "-a", app, "-n", "2");
        Assert.Equal(2, NonEmptyLines(two.Output).Length);
    }

    [Fact]
    public async Task LogplexUrl_ServesEventsTheWayTheHerokuCliReadsThem_AndResumesAfterLastEventId()
    {
        RequireSandbox();
        var app = await CreateAppAsync("sse");
        Assert.Equal(0, (await Server.CliAsync("config:set", "A=1", "-a", app)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("config:set", "B=2", "-a", app)).ExitCode);

        using var api = Api();
        var url = await LogplexUrlAsync(api, app, new { lines = 100, tail = false, source = "app", dyno = "api" });
        Assert.StartsWith($"http://localhost:{Server.ApiPort}/streams/logs/", url, StringComparison.Ordinal);

        using var eventSource = EventSource();
        using (var response = await eventSource.GetAsync(url, HttpCompletionOption.ResponseContentRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var events = ParseEvents(await response.Content.ReadAsStringAsync());
            Assert.All(events, e => Assert.Contains(" app[api]: ", e.Data));
            var setA = events.Single(e => e.Data.Contains("Set A config vars", StringComparison.Ordinal));

            // A reconnect with Last-Event-ID gets only what came after that line.
            using var resume = new HttpRequestMessage(HttpMethod.Get, url);
            resume.Headers.Add("Last-Event-ID", setA.Id);
            using var resumed = await eventSource.SendAsync(resume);
            var after = ParseEvents(await resumed.Content.ReadAsStringAsync());
            Assert.DoesNotContain(after, e => e.Data.Contains("Set A config vars", StringComparison.Ordinal));
            Assert.Contains(after, e => e.Data.Contains("Set B config vars", StringComparison.Ordinal));
            Assert.All(after, e => Assert.True(long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(setA.Id, System.Globalization.CultureInfo.InvariantCulture)));
        }

        using var tampered = await eventSource.GetAsync(url.Replace("lines=100", "lines=101", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }

    [Fact]
    public async Task Tail_ReceivesAConfigSetLive()
    {
        RequireSandbox();
        var app = await CreateAppAsync("tail");
        using var api = Api();
        var url = await LogplexUrlAsync(api, app, new { lines = 10, tail = true });

        using var eventSource = EventSource();
        using var stop = new CancellationTokenSource(Patience);
        using var response = await eventSource.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));

        var set = await Server.CliAsync("config:set", "LIVE=yes", "-a", app);
        Assert.True(set.ExitCode == 0, set.ToString());
        string? line;
        do
        {
            line = await reader.ReadLineAsync(stop.Token);
        }
        while (line is not null && !line.Contains("app[api]: Set LIVE config vars by user", StringComparison.Ordinal));

        Assert.NotNull(line);
        Assert.Matches(@"^data: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[api\]: Set LIVE config vars by user \S+@\S+$", line);
    }

    [Fact]
    public async Task CliTail_PrintsLinesAsTheyArrive_AndStopsWhenCancelled()
    {
        RequireSandbox();
        var app = await CreateAppAsync("clitail");
        var output = new WatchedWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(Patience);
        var tail = Server.CliStreamingAsync(output, error, stop.Token, "logs", "-a", app, "--tail", "-n", "1");

        // Lines set while the tail runs arrive; the first one may predate the tail's request, so keep setting until one shows.
        for (var i = 0; !output.Contains("Set LIVE") && i < 100 && !tail.IsCompleted; i++)
        {
            var set = await Server.CliAsync("config:set", $"LIVE={i}", "-a", app);
            Assert.True(set.ExitCode == 0, set.ToString());
            await output.ChangedAsync(TimeSpan.FromMilliseconds(500));
        }

        Assert.False(tail.IsCompleted, $"the tail ended early: {error}");
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[api\]: Set LIVE config vars by user \S+@\S+$", output.ToString());
        await stop.CancelAsync();
        Assert.Equal(Slipway.Cli.ExitCodes.Interrupted, await tail.WaitAsync(Patience));
        Assert.Contains("slipway: interrupted", error.ToString());
    }

    [Fact]
    public async Task SyslogDrain_ReceivesOctetCountedLines_AndDrainsCanBeListedAndRemoved()
    {
        RequireSandbox();
        var app = await CreateAppAsync("syslog");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var drainUrl = $"syslog://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        var added = await Server.CliAsync("drains:add", drainUrl, "-a", app);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"Successfully added drain {drainUrl}", added.Output);
        var list = await Server.CliAsync("drains", "-a", app);
        Assert.Matches($@"{Regex(drainUrl)} \(d\.[0-9a-f-]{{36}}\)", list.Output);

        Assert.Equal(0, (await Server.CliAsync("config:set", "DRAINED=1", "-a", app)).ExitCode);
        using var stop = new CancellationTokenSource(Patience);
        using var peer = await listener.AcceptTcpClientAsync(stop.Token);
        var stream = peer.GetStream();
        string frame;
        do
        {
            frame = await ReadFrameAsync(stream, stop.Token);
        }
        while (!frame.Contains("Set DRAINED config vars", StringComparison.Ordinal));

        Assert.Matches(@"^<190>1 \S+ d\.[0-9a-f-]{36} app api - - Set DRAINED config vars by user ", frame);

        var removed = await Server.CliAsync("drains:remove", drainUrl, "-a", app);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains($"Successfully removed drain {drainUrl}", removed.Output);
        Assert.Contains("has no drains", (await Server.CliAsync("drains", "-a", app)).Output);
    }

    [Fact]
    public async Task HttpDrain_ReceivesLogplexBatches()
    {
        RequireSandbox();
        var app = await CreateAppAsync("https-drain");
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/drain/");
        listener.Start();

        using var api = Api();
        using var created = await api.PostAsJsonAsync($"/apps/{app}/log-drains", new { url = $"http://127.0.0.1:{port}/drain/" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var drain = await created.Content.ReadFromJsonAsync<JsonElement>();
        var token = drain.GetProperty("token").GetString()!;
        Assert.StartsWith("d.", token, StringComparison.Ordinal);

        Assert.Equal(0, (await Server.CliAsync("config:set", "HTTPS_DRAINED=1", "-a", app)).ExitCode);
        string body;
        HttpListenerRequest request;
        do
        {
            var context = await listener.GetContextAsync().WaitAsync(Patience);
            request = context.Request;
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
        while (!body.Contains("Set HTTPS_DRAINED config vars", StringComparison.Ordinal));

        Assert.Equal("application/logplex-1", request.ContentType);
        Assert.Equal(token, request.Headers["Logplex-Drain-Token"]);
        Assert.False(string.IsNullOrEmpty(request.Headers["Logplex-Frame-Id"]));
        Assert.Matches(@"^\d+ <\d+>1 ", body);
        Assert.True(int.Parse(request.Headers["Logplex-Msg-Count"]!, System.Globalization.CultureInfo.InvariantCulture) >= 1);

        using var deleted = await api.DeleteAsync($"/apps/{app}/log-drains/{Uri.EscapeDataString($"http://127.0.0.1:{port}/drain/")}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.Token);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.heroku+json; version=3.sdk");
        return http;
    }

    /// <summary>What the heroku CLI's EventSource sends: no Authorization, <c>Accept: text/event-stream</c>, <c>User-Agent: heroku-run</c>.</summary>
    private static HttpClient EventSource()
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Accept.ParseAdd("text/event-stream");
        http.DefaultRequestHeaders.UserAgent.ParseAdd("heroku-run");
        return http;
    }

    private static async Task<string> LogplexUrlAsync(HttpClient api, string app, object body)
    {
        using var response = await api.PostAsJsonAsync($"/apps/{app}/log-sessions", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(session.GetProperty("id").GetString()));
        Assert.False(string.IsNullOrEmpty(session.GetProperty("created_at").GetString()));
        return session.GetProperty("logplex_url").GetString()!;
    }

    private static List<(string Id, string Data)> ParseEvents(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n'))
            .Select(fields => (fields.Single(f => f.StartsWith("id: ", StringComparison.Ordinal))[4..], fields.Single(f => f.StartsWith("data: ", StringComparison.Ordinal))[6..]))
            .ToList();

    private static string[] NonEmptyLines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static async Task<string> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == (byte)' ')
            {
                break;
            }

            length = (length * 10) + (one[0] - '0');
        }

        var message = new byte[length];
        await stream.ReadExactlyAsync(message, cancellationToken);
        return Encoding.UTF8.GetString(message);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A writer the test can read while the CLI writes to it from another thread.</summary>
    private sealed class WatchedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            TaskCompletionSource changed;
            lock (_text)
            {
                _text.Append(value);
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }

        public bool Contains(string value)
        {
            lock (_text)
            {
                return _text.ToString().Contains(value, StringComparison.Ordinal);
            }
        }

        public async Task ChangedAsync(TimeSpan atMost)
        {
            Task changed;
            lock (_text)
            {
                changed = _changed.Task;
            }

            await Task.WhenAny(changed, Task.Delay(atMost));
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
