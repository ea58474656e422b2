using System.Net;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Dynos;

/// <summary>kill -9 of slipwayd: no orphan dyno survives it, and the next start restores the formation. Has its own slipwayd.</summary>
public sealed class CrashRecoveryTests(SlipwayServer server) : EndToEndTest(server), IClassFixture<SlipwayServer>
{
    [Fact]
    public async Task Kill9_ThenStart_LeavesNoOrphans_AndRestoresTheFormation()
    {
        RequireSandbox();
        var app = await CreateAppAsync("recover");
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", app)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("ps:scale", "web=2", "-a", app)).ExitCode);
        var ports = new List<int>();
        for (var attempt = 0; attempt < 100 && ports.Distinct().Count() < 2; attempt++)
        {
            var (_, env) = await Server.GetAppAsync(app, "/env");
            ports.Add(int.Parse(JsonDocument.Parse(env).RootElement.GetProperty("PORT").GetString()!));
        }

        Assert.Equal(2, ports.Distinct().Count());
        await Server.KillAndRestartAsync();

        // The old dynos died with slipwayd (parent-death signal): nothing listens on their ports unless a new dyno took one.
        var (status, body) = await Server.GetAppAsync(app);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Hello from Slipway!", body);
        var ps = JsonDocument.Parse((await Server.CliAsync("ps", "--json", "-a", app)).Output).RootElement.EnumerateArray().ToList();
        for (var attempt = 0; attempt < 100 && ps.Count(d => d.GetProperty("state").GetString() == "up") < 2; attempt++)
        {
            await Task.Delay(100);
            ps = JsonDocument.Parse((await Server.CliAsync("ps", "--json", "-a", app)).Output).RootElement.EnumerateArray().ToList();
        }

        Assert.Equal(["web.1", "web.2"], ps.Select(d => d.GetProperty("name").GetString()).Order());
        Assert.All(ps, d => Assert.Equal("up", d.GetProperty("state").GetString()));

        var dynoDirectories = Directory.GetDirectories(Path.Combine(Server.DataDirectory, "dynos")).Select(Path.GetFileName).ToHashSet();
        Assert.Equal(ps.Select(d => d.GetProperty("id").GetString()).ToHashSet(), dynoDirectories);
        // Overlays live in the dynos' own mount namespaces, gone with their processes: only the two new dynos' are left.
        Assert.DoesNotContain(Server.DataDirectory + "/", await File.ReadAllTextAsync("/proc/mounts"), StringComparison.Ordinal);
        Assert.Equal(2, MountsSeen.Under(Server.DataDirectory).Count);
        var instance = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Server.DataDirectory)))[..12];
        var cgroups = Path.Combine("/sys/fs/cgroup/pids", "slipway-" + instance);
        if (Directory.Exists(cgroups))
        {
            Assert.Equal(dynoDirectories, Directory.GetDirectories(cgroups).Select(Path.GetFileName).ToHashSet());
        }
    }
}
