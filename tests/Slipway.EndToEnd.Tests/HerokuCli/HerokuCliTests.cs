using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Git;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.HerokuCli;

/// <summary>The official heroku CLI drives an app's whole life against slipwayd, as a Heroku user would.</summary>
[Collection(ServerCollection.Name)]
public sealed class HerokuCliTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task HerokuCli_AppLifecycle_WorksAgainstSlipway()
    {
        RequireSandbox();
        if (HerokuCliRunner.EntryScript is null)
        {
            Assert.Skip("The heroku CLI is not installed (script/bootstrap installs it into artifacts/heroku-cli).");
        }

        using var heroku = new HerokuCliRunner(Server);
        var app = UniqueName("hc");
        var email = (await ApiAsync(HttpMethod.Get, "/account")).RootElement.GetProperty("email").GetString()!;

        var whoami = await heroku.RunAsync("auth:whoami");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains(email, whoami.Output);
        var badToken = await heroku.RunWithTokenAsync("not-a-token", "auth:whoami");
        Assert.NotEqual(0, badToken.ExitCode);
        Assert.Contains("Invalid credentials provided.", badToken.Error);

        var created = await Must(heroku, "apps:create", app);
        Assert.Contains($"http://{app}.localhost:{Server.RouterPort}/ | https://localhost:{Server.ApiPort}/{app}.git", created.Output);
        var apps = await Must(heroku, "apps");
        Assert.Contains($"=== {email} Apps", apps.Output);
        Assert.Contains(app, apps.Output);

        // Deploy through git so the app has dynos and a Deploy release.
        using var repo = await LocalRepo.InitAsync(Example("node-hello"));
        await repo.MustAsync("remote", "add", "slipway", $"{Server.ApiUrl}/{app}.git");
        var push = await repo.RunWithTokenAsync(Server.Token, "push", "slipway", "main");
        Assert.True(push.ExitCode == 0, push.ToString());
        var sha = await repo.HeadAsync();

        if (await EndpointExistsAsync(HttpMethod.Get, $"/apps/{app}/addons"))
        {
            var info = await Must(heroku, "apps:info", "-a", app);
            Assert.Contains($"=== {app}", info.Output);
            Assert.Contains(email, info.Output);
            Assert.Contains("heroku-24", info.Output);
        }

        var set = await Must(heroku, "config:set", "FOO=bar", "-a", app);
        Assert.Contains("done, v3", set.Output + set.Error);
        Assert.Contains("FOO: bar", set.Output);
        var config = await Must(heroku, "config", "-a", app);
        Assert.Contains($"=== {app} Config Vars", config.Output);
        Assert.Contains("FOO: bar", config.Output);
        var unset = await Must(heroku, "config:unset", "FOO", "-a", app);
        Assert.Contains("done, v4", unset.Output + unset.Error);
        Assert.DoesNotContain("FOO", (await Must(heroku, "config", "-a", app)).Output);

        var ps = await Must(heroku, "ps", "-a", app);
        Assert.Contains("=== web (Basic): node server.js (1)", ps.Output);
        Assert.Contains("web.1: ", ps.Output);
        var scaled = await Must(heroku, "ps:scale", "web=2", "-a", app);
        Assert.Contains("now running web at 2:Basic", scaled.Output + scaled.Error);
        Assert.Contains("web=2:Basic", (await Must(heroku, "ps:scale", "-a", app)).Output);
        await Must(heroku, "ps:scale", "web=1", "-a", app);
        await Must(heroku, "ps:restart", "-a", app);

        var releases = await Must(heroku, "releases", "-a", app);
        Assert.Contains($"=== {app} Releases - Current: v4", releases.Output);
        Assert.Contains($"Deploy {sha[..7]}", releases.Output);
        Assert.Contains("Set FOO config vars", releases.Output);
        Assert.Contains("Initial release", releases.Output);

        var rollback = await Must(heroku, "rollback", "v3", "-a", app);
        Assert.Contains("done, v5", rollback.Output + rollback.Error);
        Assert.Contains("FOO: bar", (await Must(heroku, "config", "-a", app)).Output);
        Assert.Contains("Rollback to v3", (await Must(heroku, "releases", "-a", app)).Output);
        var previous = await Must(heroku, "rollback", "-a", app);
        Assert.Contains($"Rolling back {app} to v4", previous.Output + previous.Error);
        Assert.DoesNotContain("FOO", (await Must(heroku, "config", "-a", app)).Output);

        var hostname = $"www.{app}.example.com";
        var added = await Must(heroku, "domains:add", hostname, "-a", app);
        Assert.Contains($"DNS Target {app}.localhost", added.Output);
        var domains = await Must(heroku, "domains", "-a", app);
        Assert.Contains($"{app}.localhost", domains.Output);
        Assert.Contains(hostname, domains.Output);
        await Must(heroku, "domains:remove", hostname, "-a", app);
        Assert.DoesNotContain(hostname, (await Must(heroku, "domains", "-a", app)).Output);

        await Must(heroku, "maintenance:on", "-a", app);
        Assert.Equal("on", (await Must(heroku, "maintenance", "-a", app)).Output.Trim());
        await Must(heroku, "maintenance:off", "-a", app);
        Assert.Equal("off", (await Must(heroku, "maintenance", "-a", app)).Output.Trim());

        if (await EndpointExistsAsync(HttpMethod.Post, $"/apps/{app}/log-sessions", "{\"lines\":1,\"tail\":false}"))
        {
            var logs = await Must(heroku, "logs", "-n", "200", "-a", app);
            Assert.Contains("app[api]: Set FOO config vars", logs.Output);
        }

        if (await EndpointExistsAsync(HttpMethod.Get, $"/apps/{app}/addons"))
        {
            var addon = await Must(heroku, "addons:create", "storage", "-a", app);
            Assert.Contains("storage", addon.Output + addon.Error, StringComparison.OrdinalIgnoreCase);
        }

        await Must(heroku, "apps:destroy", app, "--confirm", app);
        using var gone = await SendAsync(HttpMethod.Get, $"/apps/{app}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("not_found", await gone.Content.ReadAsStringAsync());
    }

    private static async Task<CliResult> Must(HerokuCliRunner heroku, params string[] args)
    {
        var result = await heroku.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"heroku {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>Endpoints other parts of the platform add (add-ons, log sessions) are exercised once they exist.</summary>
    private async Task<bool> EndpointExistsAsync(HttpMethod method, string path, string? body = null)
    {
        using var response = await SendAsync(method, path, body);
        return !(await response.Content.ReadAsStringAsync()).Contains("No such endpoint", StringComparison.Ordinal);
    }

    private async Task<JsonDocument> ApiAsync(HttpMethod method, string path)
    {
        using var response = await SendAsync(method, path);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, Server.ApiUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Server.Token);
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.heroku+json; version=3");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }
}
