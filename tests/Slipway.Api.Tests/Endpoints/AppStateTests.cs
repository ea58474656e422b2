using System.Text.Json;
using Slipway.Api.Tests.Infrastructure;

namespace Slipway.Api.Tests.Endpoints;

/// <summary>The app resource's <c>slipway.state</c>: one word for what the dashboard used to derive from three calls.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class AppStateTests(ApiHost host)
{
    [Fact]
    public async Task ADeployedApp_IsUp_InItsResourceAndInTheList()
    {
        Assert.Equal("up", await EventuallyAsync(async () => State(await host.JsonAsync(HttpMethod.Get, $"/apps/{host.AppName}")), "up"));
        var listed = (await host.JsonAsync(HttpMethod.Get, "/apps")).EnumerateArray().Single(a => a.GetProperty("name").GetString() == host.AppName);
        Assert.Equal("up", State(listed));
    }

    [Fact]
    public async Task AnAppWithNothingDeployed_IsStopped()
    {
        var name = "state-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal("stopped", State(await host.JsonAsync(HttpMethod.Post, "/apps", new { name })));
        Assert.Equal("stopped", State(await host.JsonAsync(HttpMethod.Get, $"/apps/{name}")));
        await host.JsonAsync(HttpMethod.Delete, $"/apps/{name}");
    }

    private static string? State(JsonElement app) => app.GetProperty("slipway").GetProperty("state").GetString();

    private static async Task<string?> EventuallyAsync(Func<Task<string?>> read, string expected)
    {
        string? last = null;
        for (var attempt = 0; attempt < 600 && last != expected; attempt++)
        {
            last = await read();
            if (last != expected)
            {
                await Task.Delay(100);
            }
        }

        return last;
    }
}
