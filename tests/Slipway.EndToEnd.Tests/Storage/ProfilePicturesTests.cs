using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Storage;

/// <summary>
/// examples/profile-pictures on real dynos: with the storage add-on a picture uploaded through the router outlives a
/// restart; without it the picture lands on the ephemeral filesystem and the discarded-writes report says where.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ProfilePicturesTests(SlipwayServer server) : EndToEndTest(server)
{
    // A 1×1 PNG.
    private static readonly byte[] Picture = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task WithTheStorageAddon_AnUploadedPictureSurvivesARestart()
    {
        RequireSandbox();
        var app = await CreateAppAsync("pictures");
        await Must("addons:create", "storage", "-a", app);
        await Must("deploy", Example("profile-pictures"), "-a", app);

        var url = await UploadAsync(app);
        await Must("ps:restart", "-a", app);

        var (status, body) = await GetAsync(app, url, s => s == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Picture, body);
        var bucket = (await Must("config:get", "S3_BUCKET", "-a", app)).Output.Trim();
        Assert.Contains("profilepictures/" + url.Split('/')[^1], (await Must("storage:ls", $"s3://{bucket}/profilepictures/", "-a", app)).Output);
    }

    [Fact]
    public async Task WithoutTheStorageAddon_TheRestartDiscardsThePicture_AndTheReportNamesAssets()
    {
        RequireSandbox();
        var app = await CreateAppAsync("pictures-local");
        await Must("deploy", Example("profile-pictures"), "-a", app);

        var url = await UploadAsync(app);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app, url, s => s == HttpStatusCode.OK)).Status);
        await Must("ps:restart", "-a", app);

        var logs = "";
        for (var attempt = 0; attempt < 300 && !logs.Contains("Discarded 1 file"); attempt++)
        {
            await Task.Delay(100);
            logs = (await Must("logs", "-n", "300", "-a", app)).Output;
        }

        var report = logs.Split('\n').FirstOrDefault(l => l.Contains("Discarded 1 file")) ?? logs;
        Assert.Contains("assets/", report);
        Assert.Contains("storage add-on", report);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(app, url, s => s == HttpStatusCode.NotFound)).Status);
    }

    /// <summary>POSTs <see cref="Picture"/> as a raw body through the router, retrying while the app boots; returns its URL path.</summary>
    private async Task<string> UploadAsync(string app)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        var last = "";
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{Server.RouterPort}/pictures") { Content = new ByteArrayContent(Picture) };
            request.Headers.Host = $"{app}.localhost";
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var response = await http.SendAsync(request);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The upload never succeeded; last answer: {last}");
    }

    /// <summary>GETs <paramref name="path"/> through the router until <paramref name="until"/> holds (dynos restart meanwhile).</summary>
    private async Task<(HttpStatusCode Status, byte[] Body)> GetAsync(string app, string path, Func<HttpStatusCode, bool> until)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        (HttpStatusCode, byte[]) last = default;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Server.RouterPort}{path}");
            request.Headers.Host = $"{app}.localhost";
            using var response = await http.SendAsync(request);
            last = (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
            if (until(response.StatusCode))
            {
                return last;
            }

            await Task.Delay(100);
        }

        return last;
    }

    private async Task<CliResult> Must(params string[] args)
    {
        var result = await Server.CliAsync(args);
        Assert.True(result.ExitCode == 0, $"slipway {string.Join(' ', args)}: {result}");
        return result;
    }
}
