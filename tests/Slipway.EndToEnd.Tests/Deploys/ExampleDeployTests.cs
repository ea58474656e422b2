using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Deploys;

[Collection(ServerCollection.Name)]
public sealed class ExampleDeployTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task NodeHello_DeployConfigPsReleases_WorkEndToEnd()
    {
        RequireSandbox();
        var app = await CreateAppAsync("node");

        var deploy = await Server.CliAsync("deploy", Example("node-hello"), "-a", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("-----> Node.js app detected", deploy.Output);
        Assert.Contains("Procfile declares types -> web", deploy.Output);
        Assert.Contains("Released v2", deploy.Output);
        Assert.Contains($"http://{app}.localhost:{Server.RouterPort}/", deploy.Output);

        var (status, body) = await Server.GetAppAsync(app);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("Hello from Slipway! GREETING=unset", body);

        var set = await Server.CliAsync("config:set", "GREETING=hi", "-a", app);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("v3", set.Output);
        (_, body) = await Server.GetAppAsync(app, "/", b => b.Contains("GREETING=hi"));
        Assert.Contains("GREETING=hi", body);

        var ps = await Server.CliAsync("ps", "-a", app);
        Assert.Contains("=== web (Basic): node server.js (1)", ps.Output);
        Assert.Matches(@"web\.1: up \d{4}/\d\d/\d\d \d\d:\d\d:\d\d [+-]\d{4}", ps.Output);

        var releases = await Server.CliAsync("releases", "-a", app);
        Assert.Contains("v3", releases.Output);
        Assert.Contains("Set GREETING config vars", releases.Output);
        Assert.Contains("Deploy", releases.Output);
        Assert.Contains("Initial release", releases.Output);
    }

    [Theory]
    [InlineData("python-hello", "Python", "Hello from Slipway!")]
    [InlineData("static-site", "Static", "<html")]
    [InlineData("dotnet-hello", ".NET", "Hello from Slipway!")]
    public async Task Example_Deploys_AndAnswersThroughTheRouter(string example, string detected, string expected)
    {
        RequireSandbox();
        var app = await CreateAppAsync(example.Split('-')[0]);

        var deploy = await Server.CliAsync("deploy", Example(example), "-a", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains(detected, deploy.Output, StringComparison.OrdinalIgnoreCase);

        var (status, body) = await Server.GetAppAsync(app);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains(expected, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Scale_ToZero_GivesH14_AndBackToOne_Serves()
    {
        RequireSandbox();
        var app = await CreateAppAsync("scale");
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", app)).ExitCode);

        var down = await Server.CliAsync("ps:scale", "web=0", "-a", app);
        Assert.True(down.ExitCode == 0, down.ToString());
        var (status, body) = await Server.GetAppAsync(app, "/", b => b.Contains("H14"));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("H14", body);

        Assert.Equal(0, (await Server.CliAsync("ps:scale", "web=1", "-a", app)).ExitCode);
        (status, _) = await Server.GetAppAsync(app);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
    }
}
