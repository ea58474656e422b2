using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Config;

public class AppResolverTests
{
    [Theory]
    [InlineData("http://localhost:5000/my-app.git", "my-app")]
    [InlineData("https://127.0.0.1:5000/my-app.git/", "my-app")]
    [InlineData("git@localhost:my-app.git", "my-app")]
    [InlineData("ssh://git@localhost/my-app.git", "my-app")]
    [InlineData("http://localhost:5000/my-app", "my-app")]
    public void AppNameFromGitUrl_TakesTheLastSegment(string url, string expected) =>
        Assert.Equal(expected, Cli.Config.AppResolver.AppNameFromGitUrl(url));

    [Fact]
    public async Task Command_WithoutAppOrRemote_IsAUsageError()
    {
        using var dir = new TempDirectory();
        GitRepo.Init(dir.Path);
        var cli = new CliRunner { WorkingDirectory = dir.Path };
        cli.Environment["SLIPWAY_API_KEY"] = "t";

        var result = await cli.RunAsync("config");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No app specified. Use -a APP or run inside a git repo with a 'slipway' remote.", result.Err);
    }

    [Fact]
    public async Task Command_InsideRepoWithSlipwayRemote_UsesThatApp()
    {
        await using var server = await TestApiServer.StartAsync();
        server.MapJson("GET", "/apps/from-remote/config-vars", """{"A":"1"}""");
        using var dir = new TempDirectory();
        GitRepo.Init(dir.Path);
        GitRepo.Run(dir.Path, "remote", "add", "slipway", "http://localhost:5000/from-remote.git");
        var sub = dir.Mkdir("nested/dir");
        var cli = new CliRunner { WorkingDirectory = sub };
        cli.Environment["SLIPWAY_API_URL"] = server.Url;
        cli.Environment["SLIPWAY_API_KEY"] = "t";

        var result = await cli.RunAsync("config");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("=== from-remote Config Vars\n\nA: 1\n", result.Out);
    }

    [Fact]
    public async Task Command_AppOption_WinsOverRemote()
    {
        await using var server = await TestApiServer.StartAsync();
        server.MapJson("GET", "/apps/explicit/config-vars", "{}");
        using var dir = new TempDirectory();
        GitRepo.Init(dir.Path);
        GitRepo.Run(dir.Path, "remote", "add", "slipway", "http://localhost:5000/from-remote.git");
        var cli = new CliRunner { WorkingDirectory = dir.Path };
        cli.Environment["SLIPWAY_API_URL"] = server.Url;
        cli.Environment["SLIPWAY_API_KEY"] = "t";

        var result = await cli.RunAsync("config", "-a", "explicit");

        Assert.Equal(0, result.ExitCode);
        server.The("GET", "/apps/explicit/config-vars");
    }
}
