using System.Net.Http.Headers;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Git;

/// <summary><c>git push</c> deploys through slipwayd's smart HTTP endpoint, driven by the real git client.</summary>
[Collection(ServerCollection.Name)]
public sealed class GitPushTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task Push_ToMain_StreamsTheBuild_DeploysTheCommit_AndClones()
    {
        RequireSandbox();
        using var repo = await LocalRepo.InitAsync(Example("node-hello"));
        var sha = await repo.HeadAsync();
        var app = UniqueName("git");

        // apps:create inside a work tree adds the `slipway` remote.
        var created = await CliInAsync(repo.Path, "apps:create", app);
        Assert.True(created.ExitCode == 0, created.ToString());
        var remote = (await repo.MustAsync("config", "--get", "remote.slipway.url")).Output.Trim();
        Assert.Equal($"{Server.ApiUrl}/{app}.git", remote);

        var push = await repo.RunWithTokenAsync(Server.Token, "push", "slipway", "main");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("remote: Building source:", push.Error);
        Assert.Contains("remote: -----> Node.js app detected", push.Error);
        Assert.Contains("remote:        Released v2", push.Error);
        Assert.Contains("remote: Verifying deploy... done.", push.Error);
        Assert.Contains("main -> main", push.Error);

        var (status, body) = await Server.GetAppAsync(app);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("Hello from Slipway!", body);

        var releases = await Server.CliAsync("releases", "-a", app);
        Assert.Contains($"Deploy {sha[..7]}", releases.Output);

        // The commit is the build's source version, which the build sees as SOURCE_VERSION.
        using var builds = await ApiGetAsync($"/apps/{app}/builds");
        Assert.Contains(builds.RootElement.EnumerateArray(), b => b.GetProperty("source_blob").GetProperty("version").GetString() == sha);

        using var clone = new LocalRepo();
        var cloned = await clone.RunWithTokenAsync(Server.Token, "clone", "-q", remote, "copy");
        Assert.True(cloned.ExitCode == 0, cloned.ToString());
        Assert.True(File.Exists(Path.Combine(clone.Path, "copy", "server.js")));
    }

    [Fact]
    public async Task Push_FailingBuild_IsRejected_AndTheRunningReleaseStays_ThenForcePushDeploys()
    {
        RequireSandbox();
        var app = await CreateAppAsync("gitfail");
        using var repo = await LocalRepo.InitAsync(Example("node-hello"));
        await repo.MustAsync("remote", "add", "slipway", $"{Server.ApiUrl}/{app}.git");
        Assert.Equal(0, (await repo.RunWithTokenAsync(Server.Token, "push", "slipway", "main")).ExitCode);

        var package = Path.Combine(repo.Path, "package.json");
        await File.WriteAllTextAsync(package, """{"name":"broken","version":"1.0.0","scripts":{"build":"echo compiling && exit 3"}}""");
        await repo.CommitAllAsync("Break the build");
        var rejected = await repo.RunWithTokenAsync(Server.Token, "push", "slipway", "main");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("compiling", rejected.Error);
        Assert.Contains($"Push rejected to {app}.", rejected.Error);
        Assert.Contains("[remote rejected] main -> main (pre-receive hook declined)", rejected.Error);

        var releases = await Server.CliAsync("releases", "-a", app);
        Assert.Contains("Current: v2", releases.Output);
        Assert.DoesNotContain("v3", releases.Output);
        var (status, body) = await Server.GetAppAsync(app);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("Hello from Slipway!", body);

        // Rewrite history: the fixed commit replaces the deployed one, which needs --force.
        await repo.MustAsync("reset", "-q", "--hard", "HEAD~1");
        await File.WriteAllTextAsync(Path.Combine(repo.Path, "NOTES.md"), "rewritten\n");
        await repo.MustAsync("add", "-A");
        await repo.MustAsync("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "--amend", "-m", "Rewritten history");
        var plain = await repo.RunWithTokenAsync(Server.Token, "push", "slipway", "main");
        Assert.NotEqual(0, plain.ExitCode);
        var forced = await repo.RunWithTokenAsync(Server.Token, "push", "--force", "slipway", "main");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("remote:        Released v3", forced.Error);
        Assert.Contains("(forced update)", forced.Error);
    }

    [Fact]
    public async Task Push_ToAnotherBranch_IsRefusedWithAMessage()
    {
        RequireSandbox();
        var app = await CreateAppAsync("gitbranch");
        using var repo = await LocalRepo.InitAsync(Example("node-hello"));
        await repo.MustAsync("remote", "add", "slipway", $"{Server.ApiUrl}/{app}.git");

        var push = await repo.RunWithTokenAsync(Server.Token, "push", "slipway", "main:feature");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("only main and master deploy", push.Error);
        Assert.Contains("pre-receive hook declined", push.Error);
        Assert.DoesNotContain("Deploy", (await Server.CliAsync("releases", "-a", app)).Output);
    }

    [Fact]
    public async Task Login_WritesTheNetrcEntryGitUses_SoAPushNeedsNoPassword()
    {
        RequireSandbox();
        var email = $"{UniqueName("netrc")}@example.com";
        Assert.Equal(0, (await Server.CliAsync("accounts:create", email, "--password", "correct-horse-battery")).ExitCode);
        using var repo = await LocalRepo.InitAsync(Example("node-hello"));

        // The CLI as that user would run it: no API key in the environment, only the ~/.netrc login writes.
        async Task<(int Code, string Output)> AsUserAsync(params string[] args)
        {
            using var output = new StringWriter();
            var env = new Dictionary<string, string> { ["SLIPWAY_API_URL"] = Server.ApiUrl, ["HOME"] = repo.Home };
            var code = await Slipway.Cli.SlipwayCli.InvokeAsync(args, output, output, env, repo.Path);
            return (code, output.ToString());
        }

        Assert.Equal(0, (await AsUserAsync("login", "--email", email, "--password", "correct-horse-battery")).Code);
        var app = UniqueName("netrc");
        var created = await AsUserAsync("apps:create", app);
        Assert.True(created.Code == 0, created.Output);
        Assert.Equal(0, (await AsUserAsync("git:remote", "-a", app)).Code);

        var push = await repo.RunAsync("push", "slipway", "main");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("Released v", push.Error);
    }

    [Fact]
    public async Task Git_WithAWrongToken_IsDenied()
    {
        RequireSandbox();
        var app = await CreateAppAsync("gitauth");
        using var repo = await LocalRepo.InitAsync(Example("node-hello"));
        await repo.MustAsync("remote", "add", "slipway", $"{Server.ApiUrl}/{app}.git");

        var push = await repo.RunWithTokenAsync("not-a-token", "push", "slipway", "main");
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("Authentication failed", push.Error);
        var anonymous = await repo.RunAsync("ls-remote", "slipway");
        Assert.NotEqual(0, anonymous.ExitCode);
    }

    [Fact]
    public async Task ConcurrentPushes_ToOneApp_LandOneAtATime()
    {
        RequireSandbox();
        var app = await CreateAppAsync("gitrace");
        using var first = await LocalRepo.InitAsync(Example("node-hello"));
        var url = $"{Server.ApiUrl}/{app}.git";
        await first.MustAsync("remote", "add", "slipway", url);
        Assert.Equal(0, (await first.RunWithTokenAsync(Server.Token, "push", "slipway", "main")).ExitCode);

        using var second = new LocalRepo();
        await second.MustAsync("init", "-q", "-b", "main");
        await second.MustAsync("remote", "add", "slipway", url);
        Assert.Equal(0, (await second.RunWithTokenAsync(Server.Token, "pull", "-q", "slipway", "main")).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(first.Path, "A.md"), "a\n");
        await first.CommitAllAsync("Change A");
        await File.WriteAllTextAsync(Path.Combine(second.Path, "B.md"), "b\n");
        await second.CommitAllAsync("Change B");

        var pushes = await Task.WhenAll(
            first.RunWithTokenAsync(Server.Token, "push", "slipway", "main"),
            second.RunWithTokenAsync(Server.Token, "push", "slipway", "main"));

        // Both are based on the same commit: exactly one lands; the other is told why (it waited, or main moved on).
        Assert.Single(pushes, p => p.ExitCode == 0);
        var loser = pushes.Single(p => p.ExitCode != 0);
        Assert.True(loser.Error.Contains("moved on", StringComparison.Ordinal) || loser.Error.Contains("fetch first", StringComparison.Ordinal)
            || loser.Error.Contains("non-fast-forward", StringComparison.Ordinal), loser.ToString());
        Assert.Contains("Current: v3", (await Server.CliAsync("releases", "-a", app)).Output);
    }

    private async Task<CliResult> CliInAsync(string directory, params string[] args)
    {
        var home = Server.DataDirectory + "-home";
        Directory.CreateDirectory(home);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new Dictionary<string, string> { ["SLIPWAY_API_URL"] = Server.ApiUrl, ["SLIPWAY_API_KEY"] = Server.Token, ["HOME"] = home };
        var code = await Slipway.Cli.SlipwayCli.InvokeAsync(args, stdout, stderr, env, workingDirectory: directory);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private async Task<JsonDocument> ApiGetAsync(string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Server.ApiUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Server.Token);
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.heroku+json; version=3");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
