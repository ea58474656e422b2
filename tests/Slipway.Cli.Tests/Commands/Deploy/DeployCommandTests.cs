using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Deploy;

public class DeployCommandTests
{
    private static readonly string[] BuildLines = ["-----> Building on the Slipway stack\n", "-----> Node.js app detected\n", "-----> Launching...\n"];

    private static void MapDeploy(TestApiServer server, string finalStatus, Action<byte[]> onUpload)
    {
        server.MapJson("POST", "/sources",
            $$$"""{"source_blob":{"get_url":"{{{server.Url}}}/blobs/s1?sig=get","put_url":"{{{server.Url}}}/blobs/s1?sig=put"}}""", 201);
        server.Map("PUT", "/blobs/s1", (ctx, req) =>
        {
            onUpload(req.Body);
            ctx.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        server.MapJson("POST", "/apps/my-app/builds",
            $$$"""{"id":"b1","status":"pending","output_stream_url":"{{{server.Url}}}/streams/b1?token=x","release":null,"slug":null}""", 201);
        server.Map("GET", "/streams/b1", async (ctx, _) =>
        {
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            foreach (var line in BuildLines)
            {
                await ctx.Response.WriteAsync(line);
                await ctx.Response.Body.FlushAsync();
            }
        });
        var polls = 0;
        server.Map("GET", "/apps/my-app/builds/b1", (ctx, _) =>
            TestApiServer.WriteJsonAsync(ctx, Interlocked.Increment(ref polls) < 2
                ? """{"id":"b1","status":"pending"}"""
                : $$$"""{"id":"b1","status":"{{{finalStatus}}}","release":{"id":"r1"}}"""));
        server.MapJson("GET", "/apps/my-app", """{"name":"my-app","web_url":"http://my-app.localhost:8080/"}""");
    }

    [Fact]
    public async Task Deploy_UploadsArchiveStreamsOutputAndWaitsForBuild()
    {
        await using var api = await ApiFixture.StartAsync();
        byte[]? uploaded = null;
        MapDeploy(api.Server, "succeeded", body => uploaded = body);
        using var source = new TempDirectory();
        source.Write("package.json", "{}");
        source.Write(".gitignore", "node_modules/\n");
        source.Write("node_modules/x/index.js", "x");
        GitRepo.Init(source.Path);
        GitRepo.Run(source.Path, "add", ".");
        GitRepo.Run(source.Path, "commit", "-q", "-m", "init");
        var sha = GitRepo.Run(source.Path, "rev-parse", "HEAD");
        api.Cli.WorkingDirectory = source.Path;

        var result = await api.Cli.RunAsync("deploy", "-a", "my-app");

        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("-----> Building on the Slipway stack\n-----> Node.js app detected\n-----> Launching...\n", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("http://my-app.localhost:8080/ deployed to Slipway\n", result.Out, StringComparison.Ordinal);

        var put = api.Server.The("PUT", "/blobs/s1");
        Assert.Null(put.Header("Authorization"));
        Assert.Equal("application/octet-stream", put.Header("Content-Type"));
        Assert.Equal("?sig=put", put.Query);
        Assert.Equal([".gitignore", "package.json"], await FileNamesAsync(uploaded!));

        var build = JsonDocument.Parse(api.Server.The("POST", "/apps/my-app/builds").Body).RootElement.GetProperty("source_blob");
        Assert.Equal($"{api.Server.Url}/blobs/s1?sig=get", build.GetProperty("url").GetString());
        Assert.Equal(sha, build.GetProperty("version").GetString());
        Assert.Null(api.Server.The("GET", "/streams/b1").Header("Authorization"));
        Assert.True(api.Server.Requests.Count(r => r.Path == "/apps/my-app/builds/b1") >= 2);
    }

    [Fact]
    public async Task Deploy_OutsideGit_SendsNullVersion()
    {
        await using var api = await ApiFixture.StartAsync();
        MapDeploy(api.Server, "succeeded", _ => { });
        using var source = new TempDirectory();
        source.Write("index.html", "<p>hi</p>");

        var result = await api.Cli.RunAsync("deploy", source.Path, "-a", "my-app");

        Assert.True(result.ExitCode == 0, result.Err);
        var build = JsonDocument.Parse(api.Server.The("POST", "/apps/my-app/builds").Body).RootElement.GetProperty("source_blob");
        Assert.Equal(JsonValueKind.Null, build.GetProperty("version").ValueKind);
    }

    [Fact]
    public async Task Deploy_FailedBuild_ExitsOne()
    {
        await using var api = await ApiFixture.StartAsync();
        MapDeploy(api.Server, "failed", _ => { });
        using var source = new TempDirectory();
        source.Write("index.html", "x");

        var result = await api.Cli.RunAsync("deploy", source.Path, "-a", "my-app");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("-----> Launching...", result.Out, StringComparison.Ordinal);
        Assert.Contains("slipway: Build failed", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("deployed to Slipway", result.Out, StringComparison.Ordinal);
    }

    private static async Task<List<string>> FileNamesAsync(byte[] archive)
    {
        var names = new List<string>();
        await using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken) is { } entry)
        {
            if (entry.EntryType == TarEntryType.RegularFile)
                names.Add(entry.Name);
        }
        return names;
    }
}
