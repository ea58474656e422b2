using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Dynos;

/// <summary>A clean stop of slipwayd (SIGTERM) leaves no dyno mount behind, in any namespace. Has its own slipwayd, which it stops.</summary>
public sealed class ShutdownTests(LongGraceServer server) : EndToEndTest(server), IClassFixture<LongGraceServer>
{
    [Fact]
    public async Task Sigterm_WhileADynoIsStillStopping_WaitsForIt_AndLeavesNoMount()
    {
        RequireSandbox();
        var app = await CreateAppAsync("shutdown");
        var source = Directory.CreateTempSubdirectory("slipway-e2e-src-").FullName;
        // Ignores SIGTERM, so its stop takes the whole grace period (20 s here) and is still under way at shutdown.
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "worker: trap '' TERM; while true; do sleep 1; done\n");
        var deploy = await Server.CliAsync("deploy", source, "-a", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal(0, (await Server.CliAsync("ps:scale", "worker=1", "-a", app)).ExitCode);
        Assert.True(await PsUntilAsync(app, ps => ps.Any(d => d.GetProperty("state").GetString() == "up")), "worker.1 never came up");
        Assert.Single(MountsSeen.Under(Server.DataDirectory));
        Assert.DoesNotContain(Server.DataDirectory + "/", File.ReadAllText("/proc/mounts"), StringComparison.Ordinal);

        Assert.Equal(0, (await Server.CliAsync("ps:scale", "worker=0", "-a", app)).ExitCode);
        Assert.True(await PsUntilAsync(app, ps => ps.Count == 0), "worker.1 was not being stopped");
        await Server.StopAsync();

        Assert.Empty(MountsSeen.Under(Server.DataDirectory));
        Directory.Delete(source, recursive: true);
    }

    private async Task<bool> PsUntilAsync(string app, Func<List<JsonElement>, bool> done)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var ps = await Server.CliAsync("ps", "--json", "-a", app);
            if (done(JsonDocument.Parse(ps.Output).RootElement.EnumerateArray().ToList()))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}

/// <summary>A slipwayd whose dyno stops take long enough (20 s grace) to be under way when it is told to stop.</summary>
public sealed class LongGraceServer : SlipwayServer
{
    protected override IEnumerable<string> ExtraArguments => ["--stop-grace-seconds", "20"];
}
