using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Slipway.Server;

namespace Slipway.Api.Tests.Infrastructure;

/// <summary>
/// A whole slipwayd composition hosted in this process on free loopback ports, dynos unisolated (no root or sandbox needed),
/// with one app deployed from a tiny Node.js source so every resource (releases, formation, dynos) has real content.
/// </summary>
public sealed class ApiHost : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "slipway-api-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? _app;

    public string Token { get; } = "SLPW-api-" + Guid.NewGuid().ToString("N");

    public int ApiPort { get; } = FreePort();

    public string ApiUrl => $"http://127.0.0.1:{ApiPort}";

    public string AppName { get; } = "schema-" + Guid.NewGuid().ToString("N")[..6];

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };

    public async ValueTask InitializeAsync()
    {
        var dynoBase = 30000 + (Environment.ProcessId % 100 * 20); // below the ephemeral ports
        _app = await SlipwayHost.BuildAsync(
        [
            "--data-dir", _data, "--api-port", $"{ApiPort}", "--router-port", $"{FreePort()}", "--storage-port", $"{FreePort()}",
            "--isolation", "none", "--dyno-ports", $"{dynoBase}-{dynoBase + 19}", "--stop-grace-seconds", "2",
            "--Slipway:AdminToken", Token,
        ]);
        await _app.StartAsync();
        Http.BaseAddress = new Uri(ApiUrl);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "application/vnd.heroku+json; version=3");
        for (var attempt = 0; attempt < 300 && !(await Http.GetAsync("/healthz")).IsSuccessStatusCode; attempt++)
        {
            await Task.Delay(100);
        }

        (await SendAsync(HttpMethod.Post, "/apps", new { name = AppName })).EnsureSuccessStatusCode();
        await DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Http.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>POST /sources, PUT the tarball, POST /builds, then wait for the build to finish.</summary>
    private async Task DeployAsync()
    {
        var source = await JsonAsync(HttpMethod.Post, "/sources");
        var blob = source.GetProperty("source_blob");
        using (var put = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            (await put.PutAsync(blob.GetProperty("put_url").GetString(), new ByteArrayContent(NodeAppTarball()))).EnsureSuccessStatusCode();
        }

        var build = await JsonAsync(HttpMethod.Post, $"/apps/{AppName}/builds", new { source_blob = new { url = blob.GetProperty("get_url").GetString(), version = "0123456789abcdef" } });
        var id = build.GetProperty("id").GetString();
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            var current = await JsonAsync(HttpMethod.Get, $"/apps/{AppName}/builds/{id}");
            var status = current.GetProperty("status").GetString();
            if (status != "pending")
            {
                Assert.True(status == "succeeded", $"The fixture's build failed: {current}");
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The build did not finish.");
    }

    private static byte[] NodeAppTarball()
    {
        var files = new Dictionary<string, string>
        {
            ["Procfile"] = "web: node server.js\n",
            ["package.json"] = """{"name":"schema-app","version":"1.0.0"}""",
            ["server.js"] = "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);\n",
        };
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }

        return output.ToArray();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiHostCollection : ICollectionFixture<ApiHost>
{
    public const string Name = "api-host";
}
