using System.Text;
using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Auth;

public class AuthCommandTests
{
    private static async Task<(TestApiServer Server, CliRunner Cli, TempDirectory Home)> StartAsync()
    {
        var server = await TestApiServer.StartAsync();
        var home = new TempDirectory();
        var cli = new CliRunner();
        cli.Environment["SLIPWAY_API_URL"] = server.Url;
        cli.Environment["HOME"] = home.Path;
        return (server, cli, home);
    }

    private static string Machine(TestApiServer server) => new Uri(server.Url).Authority;

    [Fact]
    public async Task Login_WithFlags_PostsBasicAuthAndWritesNetrc()
    {
        var (server, cli, home) = await StartAsync();
        await using var _ = server;
        using var __ = home;
        server.MapJson("POST", "/oauth/authorizations", """{"id":"o1","access_token":{"token":"tok-123"},"user":{"email":"dev@example.com"}}""", 201);
        var netrcPath = home.Write(".netrc", "machine github.com login octocat password gh\n");

        var result = await cli.RunAsync("login", "--email", "dev@example.com", "--password", "s3cret");

        Assert.Equal((0, "Logged in as dev@example.com\n"), (result.ExitCode, result.Out));
        var request = server.The("POST", "/oauth/authorizations");
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("dev@example.com:s3cret")), request.Header("Authorization"));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("global", body.GetProperty("scope")[0].GetString());
        Assert.StartsWith("slipway CLI login from ", body.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            $"machine github.com login octocat password gh\nmachine {Machine(server)}\n  login dev@example.com\n  password tok-123\n" +
            $"machine {new Uri(server.Url).Host}\n  login dev@example.com\n  password tok-123\n",
            File.ReadAllText(netrcPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(netrcPath));

        // The saved token is what later commands send, and what auth:token prints.
        server.MapJson("GET", "/account", """{"id":"u1","email":"dev@example.com"}""");
        var whoami = await cli.RunAsync("auth:whoami");
        Assert.Equal((0, "dev@example.com\n"), (whoami.ExitCode, whoami.Out));
        Assert.Equal("Bearer tok-123", server.The("GET", "/account").Header("Authorization"));
        Assert.Equal("tok-123\n", (await cli.RunAsync("auth:token")).Out);

        var logout = await cli.RunAsync("logout");
        Assert.Equal((0, "Logging out... done\n"), (logout.ExitCode, logout.Out));
        Assert.Equal("machine github.com login octocat password gh\n", File.ReadAllText(netrcPath));
    }

    [Fact]
    public async Task Login_FromStdin_WhenNotATerminal()
    {
        var (server, cli, home) = await StartAsync();
        await using var _ = server;
        using var __ = home;
        server.MapJson("POST", "/oauth/authorizations", """{"access_token":{"token":"t2"}}""", 201);
        cli.Input = "dev@example.com\npw\n";

        var result = await cli.RunAsync("login");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("dev@example.com:pw")), server.The("POST", "/oauth/authorizations").Header("Authorization"));
        Assert.Contains("password t2", File.ReadAllText(home.Combine(".netrc")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_BadPassword_ExitsOne()
    {
        var (server, cli, home) = await StartAsync();
        await using var _ = server;
        using var __ = home;
        server.MapJson("POST", "/oauth/authorizations", """{"id":"unauthorized","message":"Invalid credentials provided."}""", 401);

        var result = await cli.RunAsync("login", "-e", "dev@example.com", "-p", "wrong");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("slipway: Invalid email or password.", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(home.Combine(".netrc")));
    }

    [Fact]
    public async Task ApiKeyEnvironment_WinsOverNetrc()
    {
        var (server, cli, home) = await StartAsync();
        await using var _ = server;
        using var __ = home;
        home.Write(".netrc", $"machine {Machine(server)} login a password from-netrc\n");
        cli.Environment["SLIPWAY_API_KEY"] = "from-env";

        Assert.Equal("from-env\n", (await cli.RunAsync("auth:token")).Out);
        cli.Environment.Remove("SLIPWAY_API_KEY");
        Assert.Equal("from-netrc\n", (await cli.RunAsync("auth:token")).Out);
    }

    [Fact]
    public async Task NoToken_TellsHowToLogIn()
    {
        var (server, cli, home) = await StartAsync();
        await using var _ = server;
        using var __ = home;

        var result = await cli.RunAsync("auth:whoami");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Run `slipway login`, or set SLIPWAY_API_KEY.", result.Err, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task AccountsCreate_PrintsGeneratedPasswordOnce()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("POST", "/accounts", """{"id":"u2","email":"new@example.com","password":"gen-pass"}""", 201);

        var result = await api.Cli.RunAsync("accounts:create", "new@example.com");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"email":"new@example.com"}""", api.Server.The("POST", "/accounts").BodyText);
        Assert.StartsWith("Creating account new@example.com... done\nPassword: gen-pass\n", result.Out, StringComparison.Ordinal);
    }
}
