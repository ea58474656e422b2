using System.Net;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Dynos;

/// <summary>A slipwayd whose web dynos must bind within 3 seconds and that cycles every dyno 8 seconds after it starts.</summary>
public sealed class FastCyclingServer : SlipwayServer
{
    protected override IEnumerable<string> ExtraArguments =>
        ["--boot-timeout-seconds", "3", "--cycle-after-seconds", "8", "--cycle-jitter-seconds", "0"];
}

/// <summary>R10 and daily cycling on real dynos, with the clock of both shortened by flags.</summary>
public sealed class CyclingTests(FastCyclingServer server) : EndToEndTest(server), IClassFixture<FastCyclingServer>
{
    [Fact]
    public async Task WebDynoThatNeverBinds_IsKilledWithR10_AndCrashes()
    {
        RequireSandbox();
        var app = await CreateAppAsync("r10");
        var source = Directory.CreateTempSubdirectory("slipway-r10-").FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web: sleep 600\n");
        Assert.Equal(0, (await Server.CliAsync("deploy", source, "-a", app)).ExitCode);

        await LogsShowAsync(app,
            "heroku[web.1]: Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 3 seconds of launch",
            "heroku[web.1]: Stopping process with SIGKILL",
            "heroku[web.1]: Process exited with status 137",
            "heroku[web.1]: State changed from starting to crashed");
    }

    [Fact]
    public async Task EveryDyno_IsCycled_AndTheAppKeepsServing()
    {
        RequireSandbox();
        var app = await CreateAppAsync("cycle");
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", app)).ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app)).Status);

        // node-hello ends cleanly on SIGTERM, so it exits with status 0 rather than 143.
        await LogsShowAsync(app,
            "heroku[web.1]: Cycling",
            "heroku[web.1]: State changed from up to starting",
            "heroku[web.1]: Starting process with command `node server.js`",
            "heroku[web.1]: State changed from starting to up",
            "heroku[web.1]: Stopping all processes with SIGTERM",
            "heroku[web.1]: Process exited with status 0");
        var logs = (await Server.CliAsync("logs", "-n", "300", "-a", app)).Output;
        Assert.DoesNotContain("Restarting", logs);
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app)).Status);
    }

    /// <summary>Waits until the app's logs show <paramref name="lines"/> in this order.</summary>
    private async Task LogsShowAsync(string app, params string[] lines)
    {
        static bool InOrder(string logs, string[] lines)
        {
            var at = 0;
            foreach (var line in lines)
            {
                at = logs.IndexOf(line, at, StringComparison.Ordinal);
                if (at < 0)
                {
                    return false;
                }
            }

            return true;
        }

        var logs = await EventuallyAsync(() => Server.CliAsync("logs", "-n", "300", "-a", app), r => InOrder(r.Output, lines));
        Assert.True(InOrder(logs.Output, lines), $"Expected, in order:\n{string.Join('\n', lines)}\nLogs:\n{logs.Output}");
    }
}
