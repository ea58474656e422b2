using Slipway.Cli.Api;
using Slipway.Cli.Commands.Ps;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Ps;

public class DynoListingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 21, 0, 0, TimeSpan.Zero);
    private static readonly FixedTimeProvider Time = new(Now, TimeZoneInfo.Utc);

    private static DynoResource Dyno(string name, string command, string state = "up", int secondsAgo = 5, string? size = "Basic") => new()
    {
        Name = name,
        Type = name.Split('.')[0],
        Command = command,
        State = state,
        Size = size,
        UpdatedAt = Now.AddSeconds(-secondsAgo),
    };

    [Fact]
    public void Render_Empty_SaysNoDynos() =>
        Assert.Equal(["No dynos on ⬢ my-app"], DynoListing.Render([], "my-app", Time));

    [Fact]
    public void Render_GroupsByTypeAndOrdersDynosNumerically()
    {
        var lines = DynoListing.Render(
            [
                Dyno("web.10", "npm start"),
                Dyno("worker.1", "node worker.js", "crashed", 120, size: null),
                Dyno("web.2", "npm start", "starting", 1),
                Dyno("run.4821", "bash", secondsAgo: 30),
            ],
            "my-app",
            Time);

        Assert.Equal(
            [
                "=== run: one-off processes (1)",
                "run.4821 (Basic): up 2026/11/29 20:59:30 +0000 (~ 30s ago): bash",
                "",
                "=== web (Basic): npm start (2)",
                "web.2: starting 2026/11/29 20:59:59 +0000 (~ 1s ago)",
                "web.10: up 2026/11/29 20:59:55 +0000 (~ 5s ago)",
                "",
                "=== worker (Basic): node worker.js (1)",
                "worker.1: crashed 2026/11/29 20:58:00 +0000 (~ 2m ago)",
            ],
            lines);
    }
}
