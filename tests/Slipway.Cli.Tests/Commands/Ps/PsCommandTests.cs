using System.Text.Json;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Ps;

public class PsCommandTests
{
    [Fact]
    public async Task Scale_PatchesFormationWithStringQuantities()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("PATCH", "/apps/my-app/formation",
            """[{"type":"web","quantity":2,"size":"standard-1x"},{"type":"worker","quantity":1,"size":"Basic"},{"type":"clock","quantity":0,"size":"Basic"}]""");

        var result = await api.Cli.RunAsync("ps:scale", "web=2:standard-1x", "worker+1", "-a", "my-app");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Scaling dynos... done, now running web at 2:standard-1x, worker at 1:Basic\n", result.Out);
        var body = api.Server.The("PATCH", "/apps/my-app/formation").BodyText;
        Assert.Equal("""{"updates":[{"type":"web","quantity":"2","size":"standard-1x"},{"type":"worker","quantity":"+1"}]}""", body);
        Assert.Equal("+1", JsonDocument.Parse(body).RootElement.GetProperty("updates")[1].GetProperty("quantity").GetString());
    }

    [Fact]
    public async Task Scale_NoArguments_ShowsFormation()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app/formation", """[{"type":"web","quantity":1,"size":"Basic"},{"type":"worker","quantity":0,"dyno_size":{"name":"Basic"}}]""");

        var result = await api.Cli.RunAsync("ps:scale", "-a", "my-app");

        Assert.Equal((0, "web=1:Basic worker=0:Basic\n"), (result.ExitCode, result.Out));
    }

    [Fact]
    public async Task Scale_BadArgument_IsUsageError()
    {
        await using var api = await ApiFixture.StartAsync();
        var result = await api.Cli.RunAsync("ps:scale", "web=lots", "-a", "my-app");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(api.Server.Requests);
    }

    [Theory]
    [InlineData(new[] { "ps:restart" }, "DELETE", "/apps/my-app/dynos", "Restarting dynos on ⬢ my-app... done\n")]
    [InlineData(new[] { "ps:restart", "web" }, "DELETE", "/apps/my-app/formations/web", "Restarting web dynos on ⬢ my-app... done\n")]
    [InlineData(new[] { "ps:restart", "web.1" }, "DELETE", "/apps/my-app/dynos/web.1", "Restarting web.1 dyno on ⬢ my-app... done\n")]
    [InlineData(new[] { "ps:stop", "worker" }, "POST", "/apps/my-app/formations/worker/actions/stop", "Stopping worker dynos on ⬢ my-app... done\n")]
    [InlineData(new[] { "ps:stop", "web.2" }, "POST", "/apps/my-app/dynos/web.2/actions/stop", "Stopping web.2 dyno on ⬢ my-app... done\n")]
    public async Task RestartAndStop_HitTheRightResource(string[] args, string method, string path, string output)
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson(method, path, "{}", 202);

        var result = await api.Cli.RunAsync([.. args, "-a", "my-app"]);

        Assert.Equal((0, output), (result.ExitCode, result.Out));
        api.Server.The(method, path);
    }

    [Fact]
    public async Task Ps_ListsDynosAndJson()
    {
        await using var api = await ApiFixture.StartAsync();
        var now = new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero);
        api.Cli.Time = new FixedTimeProvider(now, TimeZoneInfo.Utc);
        api.Server.MapJson("GET", "/apps/my-app/dynos",
            """[{"id":"d1","name":"web.1","type":"web","command":"npm start","size":"Basic","state":"up","updated_at":"2026-11-29T20:59:55Z","release":{"version":3}}]""");

        var plain = await api.Cli.RunAsync("ps", "-a", "my-app");
        var json = await api.Cli.RunAsync("ps", "--json", "-a", "my-app");

        Assert.Equal("=== web (Basic): npm start (1)\n\nweb.1: up 2026/11/29 20:59:55 +0000 (~ 5s ago)\n", plain.Out);
        Assert.Equal("web.1", JsonDocument.Parse(json.Out).RootElement[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Ps_NoDynos()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app/dynos", "[]");
        var result = await api.Cli.RunAsync("ps", "-a", "my-app");
        Assert.Equal((0, "No dynos on ⬢ my-app\n"), (result.ExitCode, result.Out));
    }
}
