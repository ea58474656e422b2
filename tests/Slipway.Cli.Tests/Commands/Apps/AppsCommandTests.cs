using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Apps;

public class AppsCommandTests
{
    private const string App = """
        {"id":"a1","name":"my-app","owner":{"id":"u1","email":"dev@example.com"},"region":{"name":"us"},"stack":{"name":"heroku-24"},
         "web_url":"http://my-app.localhost:8080/","git_url":"http://localhost:5000/my-app.git","repo_size":null,"slug_size":2048,"process_tier":"basic"}
        """;

    [Fact]
    public async Task Create_PostsNamePrintsUrlsAndAddsGitRemote()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("POST", "/apps", App, 201);
        using var repo = new TempDirectory();
        GitRepo.Init(repo.Path);
        api.Cli.WorkingDirectory = repo.Path;

        var result = await api.Cli.RunAsync("apps:create", "my-app");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Creating ⬢ my-app... done\nhttp://my-app.localhost:8080/ | http://localhost:5000/my-app.git\n", result.Out);
        Assert.Equal("""{"name":"my-app"}""", api.Server.The("POST", "/apps").BodyText);
        Assert.Equal("http://localhost:5000/my-app.git", GitRepo.Run(repo.Path, "config", "--get", "remote.slipway.url"));
    }

    [Fact]
    public async Task Create_KeepsAnExistingRemote()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("POST", "/apps", App, 201);
        using var repo = new TempDirectory();
        GitRepo.Init(repo.Path);
        GitRepo.Run(repo.Path, "remote", "add", "slipway", "http://elsewhere/other.git");
        api.Cli.WorkingDirectory = repo.Path;

        var result = await api.Cli.RunAsync("apps:create");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Creating app... done, ⬢ my-app\nhttp://my-app.localhost:8080/ | http://localhost:5000/my-app.git\n", result.Out);
        Assert.Equal("{}", api.Server.The("POST", "/apps").BodyText);
        Assert.Equal("http://elsewhere/other.git", GitRepo.Run(repo.Path, "config", "--get", "remote.slipway.url"));
    }

    [Fact]
    public async Task Apps_GroupsByOwner()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps", """
            [{"name":"zeta","owner":{"email":"dev@example.com"},"region":{"name":"us"}},
             {"name":"alpha","owner":{"email":"dev@example.com"},"region":{"name":"eu"}},
             {"name":"shared","owner":{"email":"other@example.com"},"region":{"name":"us"}}]
            """);
        api.Server.MapJson("GET", "/account", """{"id":"u1","email":"dev@example.com"}""");

        var result = await api.Cli.RunAsync("apps");
        var json = await api.Cli.RunAsync("apps", "--json");

        Assert.Equal(
            "=== dev@example.com Apps\n\nalpha (eu)\nzeta\n\n=== Collaborated Apps\n\nshared  other@example.com\n",
            result.Out);
        Assert.Equal(3, JsonDocument.Parse(json.Out).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Info_PrintsDetailsAndJson()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app", App);
        api.Server.MapJson("GET", "/apps/my-app/dynos", """[{"name":"web.1","type":"web"},{"name":"web.2","type":"web"}]""");

        var result = await api.Cli.RunAsync("apps:info", "-a", "my-app");
        var json = await api.Cli.RunAsync("apps:info", "-a", "my-app", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("=== my-app\n\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Dynos:     web: 2\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Web URL:   http://my-app.localhost:8080/\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("Slug Size: 2 KB\n", result.Out, StringComparison.Ordinal);
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal("my-app", root.GetProperty("app").GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("dynos").GetArrayLength());
    }

    [Fact]
    public async Task Destroy_WithoutConfirm_RefusesWithoutRequests()
    {
        await using var api = await ApiFixture.StartAsync();

        var missing = await api.Cli.RunAsync("apps:destroy", "-a", "my-app");
        var wrong = await api.Cli.RunAsync("apps:destroy", "-a", "my-app", "--confirm", "other");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--confirm my-app", missing.Err, StringComparison.Ordinal);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("did not match", wrong.Err, StringComparison.Ordinal);
        Assert.Empty(api.Server.Requests);
    }

    [Fact]
    public async Task Destroy_WithConfirm_Deletes()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("DELETE", "/apps/my-app", App);

        var result = await api.Cli.RunAsync("apps:destroy", "-a", "my-app", "--confirm", "my-app");

        Assert.Equal((0, "Destroying ⬢ my-app... done\n"), (result.ExitCode, result.Out));
        Assert.Equal("?confirm=my-app", api.Server.The("DELETE", "/apps/my-app").Query);
    }

    [Fact]
    public async Task Open_PrintsWebUrl()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app", App);
        var result = await api.Cli.RunAsync("open", "-a", "my-app");
        Assert.Equal((0, "http://my-app.localhost:8080/\n"), (result.ExitCode, result.Out));
    }
}
