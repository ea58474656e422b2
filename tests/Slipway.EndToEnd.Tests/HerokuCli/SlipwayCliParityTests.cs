using Slipway.EndToEnd.Tests.Git;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.HerokuCli;

/// <summary>Our own CLI has the heroku commands users reach for: git:remote, rollback, domains, maintenance.</summary>
[Collection(ServerCollection.Name)]
public sealed class SlipwayCliParityTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task Rollback_Domains_Maintenance_Work()
    {
        RequireSandbox();
        var app = await CreateAppAsync("parity");
        Assert.Equal(0, (await Server.CliAsync("config:set", "A=1", "-a", app)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("config:set", "A=2", "-a", app)).ExitCode);

        var toV2 = await Server.CliAsync("rollback", "v2", "-a", app);
        Assert.True(toV2.ExitCode == 0, toV2.ToString());
        Assert.Contains("v4", toV2.Output + toV2.Error);
        Assert.Contains("A: 1", (await Server.CliAsync("config", "-a", app)).Output);
        var previous = await Server.CliAsync("rollback", "-a", app);
        Assert.True(previous.ExitCode == 0, previous.ToString());
        Assert.Contains("A: 2", (await Server.CliAsync("config", "-a", app)).Output);
        Assert.Contains("Rollback to v2", (await Server.CliAsync("releases", "-a", app)).Output);

        var hostname = $"www.{app}.example.org";
        var added = await Server.CliAsync("domains:add", hostname, "-a", app);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"{app}.localhost", added.Output);
        var domains = await Server.CliAsync("domains", "-a", app);
        Assert.Contains(hostname, domains.Output);
        Assert.Contains($"{app}.localhost", domains.Output);
        Assert.Equal(0, (await Server.CliAsync("domains:remove", hostname, "-a", app)).ExitCode);
        Assert.DoesNotContain(hostname, (await Server.CliAsync("domains", "-a", app)).Output);
        Assert.NotEqual(0, (await Server.CliAsync("domains:add", "not a domain", "-a", app)).ExitCode);

        Assert.Equal("off", (await Server.CliAsync("maintenance", "-a", app)).Output.Trim());
        Assert.Equal(0, (await Server.CliAsync("maintenance:on", "-a", app)).ExitCode);
        Assert.Equal("on", (await Server.CliAsync("maintenance", "-a", app)).Output.Trim());
        Assert.Equal(0, (await Server.CliAsync("maintenance:off", "-a", app)).ExitCode);
        Assert.Equal("off", (await Server.CliAsync("maintenance", "-a", app)).Output.Trim());
    }

    [Fact]
    public async Task GitRemote_AddsOrUpdatesTheSlipwayRemote()
    {
        RequireSandbox();
        var app = await CreateAppAsync("remote");
        using var repo = await LocalRepo.InitAsync(Example("node-hello"));
        await repo.MustAsync("remote", "add", "slipway", "http://elsewhere.invalid/old.git");

        var home = Server.DataDirectory + "-home";
        Directory.CreateDirectory(home);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new Dictionary<string, string> { ["SLIPWAY_API_URL"] = Server.ApiUrl, ["SLIPWAY_API_KEY"] = Server.Token, ["HOME"] = home };
        var code = await Slipway.Cli.SlipwayCli.InvokeAsync(["git:remote", "-a", app], stdout, stderr, env, workingDirectory: repo.Path);
        Assert.True(code == 0, $"{stdout}\n{stderr}");
        Assert.Equal($"{Server.ApiUrl}/{app}.git", (await repo.MustAsync("config", "--get", "remote.slipway.url")).Output.Trim());
    }
}
