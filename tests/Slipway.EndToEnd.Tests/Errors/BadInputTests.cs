using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Errors;

/// <summary>Bad input gets a clear error and loses nothing.</summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task Deploy_ToMissingApp_SaysNotFound()
    {
        RequireSandbox();
        var result = await Server.CliAsync("deploy", Example("node-hello"), "-a", "no-such-app-here");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Couldn't find that app.", result.Error);
    }

    [Fact]
    public async Task SecondSlipwayd_OnTheSameDataDirectory_RefusesToStart_AndTheFirstKeepsServing()
    {
        RequireSandbox();
        var second = await Server.RunSecondInstanceAsync();

        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"another slipwayd (pid {Server.ProcessId}) is running with the data directory {Server.DataDirectory}", second.Error);
        using var http = Api(Server.Token);
        using var response = await http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WrongToken_Is401Unauthorized()
    {
        RequireSandbox();
        using var http = Api("SLPW-not-a-real-token");
        using var response = await http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());

        var cli = await Server.CliWithTokenAsync("SLPW-not-a-real-token", "auth:whoami");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("slipway login", cli.Error);
    }

    [Fact]
    public async Task AnotherAccountsApp_Is404_AndPasswordLoginWorks()
    {
        RequireSandbox();
        var app = await CreateAppAsync("mine");
        var (email, token) = await CreateAccountAsync("correct horse battery");

        using var other = Api(token);
        using var response = await other.GetAsync($"/apps/{app}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        using var mine = await other.GetAsync("/apps");
        Assert.Equal("[]", (await mine.Content.ReadAsStringAsync()).Trim());

        using var badPassword = new HttpClient { BaseAddress = new Uri(Server.ApiUrl) };
        badPassword.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}:wrong")));
        using var refused = await badPassword.PostAsJsonAsync("/oauth/authorizations", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AppName_Taken_OrInvalid_IsRefused()
    {
        RequireSandbox();
        var app = await CreateAppAsync("taken");
        var again = await Server.CliAsync("apps:create", app);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already taken", again.Error);

        var invalid = await Server.CliAsync("apps:create", "Not_Valid");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("invalid", invalid.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/cron.d/evil")]
    public async Task Archive_WithPathEscape_FailsTheBuild(string entryName)
    {
        RequireSandbox();
        var app = await CreateAppAsync("escape");
        using var archive = new MemoryStream();
        await using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "Procfile") { DataStream = new MemoryStream("web: sleep 1000\n"u8.ToArray()) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream("owned\n"u8.ToArray()) });
        }

        var build = await BuildAsync(app, archive.ToArray());
        Assert.Equal("failed", build.Status);
        Assert.Contains(entryName.TrimStart('.', '/').Split('/')[0], build.Output);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escape.txt")));
    }

    [Fact]
    public async Task Archive_WithAbsoluteSymlink_FailsTheBuild()
    {
        RequireSandbox();
        var app = await CreateAppAsync("symlink");
        using var archive = new MemoryStream();
        await using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "Procfile") { DataStream = new MemoryStream("web: sleep 1000\n"u8.ToArray()) });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "etc") { LinkName = "/etc" });
        }

        var build = await BuildAsync(app, archive.ToArray());
        Assert.Equal("failed", build.Status);
        Assert.Contains("etc", build.Output);
    }

    [Fact]
    public async Task MalformedProcfile_FailsTheBuild_AndThePreviousReleaseKeepsServing()
    {
        RequireSandbox();
        var app = await CreateAppAsync("keep");
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", app)).ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app)).Status);

        var source = Directory.CreateTempSubdirectory("slipway-bad-procfile-").FullName;
        foreach (var file in Directory.GetFiles(Example("node-hello")))
        {
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web node server.js\n");
        var broken = await Server.CliAsync("deploy", source, "-a", app);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("type: command", broken.Output + broken.Error);

        var (status, body) = await Server.GetAppAsync(app);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Hello from Slipway!", body);
        var releases = await Server.CliAsync("releases", "-a", app);
        Assert.Contains("Current: v2", releases.Output);
    }

    [Fact]
    public async Task NoDetectableBuildpack_SaysWhatWasLookedFor()
    {
        RequireSandbox();
        var app = await CreateAppAsync("nolang");
        var source = Directory.CreateTempSubdirectory("slipway-nolang-").FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "README.txt"), "nothing to run\n");
        var result = await Server.CliAsync("deploy", source, "-a", app);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No default language could be detected for this app", result.Output + result.Error);
        Assert.Contains("package.json", result.Output + result.Error);
    }

    private async Task<(string Status, string Output)> BuildAsync(string app, byte[] archive)
    {
        using var api = Api(Server.Token);
        var sources = await (await api.PostAsync("/sources", null)).Content.ReadFromJsonAsync<JsonElement>();
        var blob = sources.GetProperty("source_blob");
        using (var upload = new HttpClient())
        {
            using var put = await upload.PutAsync(blob.GetProperty("put_url").GetString(), new ByteArrayContent(archive));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var create = await api.PostAsJsonAsync($"/apps/{app}/builds", new { source_blob = new { url = blob.GetProperty("get_url").GetString() } });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var build = await create.Content.ReadFromJsonAsync<JsonElement>();
        var output = await api.GetStringAsync(build.GetProperty("output_stream_url").GetString());
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var current = await api.GetFromJsonAsync<JsonElement>($"/apps/{app}/builds/{build.GetProperty("id").GetString()}");
            var status = current.GetProperty("status").GetString()!;
            if (status != "pending")
            {
                return (status, output);
            }

            await Task.Delay(100);
        }

        return ("pending", output);
    }
}
