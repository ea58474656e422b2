using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Releases;

public class ReleasesCommandTests
{
    private const string Page = """
        [
          {"id":"r3","version":3,"description":"Set FOO config vars","status":"succeeded","current":true,"created_at":"2026-11-29T20:58:00Z","user":{"email":"dev@example.com"}},
          {"id":"r2","version":2,"description":"Deploy abc1234","status":"failed","current":false,"created_at":"2026-11-29T20:00:00Z","user":{"email":"dev@example.com"}},
          {"id":"r1","version":1,"description":"Initial release","status":"succeeded","current":false,"created_at":"2026-11-20T20:00:00Z","user":{"email":"admin@example.com"}}
        ]
        """;

    [Fact]
    public async Task Releases_SendsRangeAndPrintsRows()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Cli.Time = new FixedTimeProvider(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);
        api.Server.MapJson("GET", "/apps/my-app/releases", Page);

        var result = await api.Cli.RunAsync("releases", "-n", "3", "-a", "my-app");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("version ..; max=3, order=desc", api.Server.The("GET", "/apps/my-app/releases").Header("Range"));
        Assert.Equal(
            "=== my-app Releases - Current: v3\n\n" +
            "v3  Set FOO config vars                    dev@example.com    2026/11/29 20:58:00 +0000 (~ 2m ago)\n" +
            "v2  Deploy abc1234 release command failed  dev@example.com    2026/11/29 20:00:00 +0000 (~ 60m ago)\n" +
            "v1  Initial release                        admin@example.com  2026/11/20 20:00:00 +0000\n",
            result.Out);
    }

    [Fact]
    public async Task Releases_DefaultsTo15()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Server.MapJson("GET", "/apps/my-app/releases", "[]");
        var result = await api.Cli.RunAsync("releases", "--json", "-a", "my-app");
        Assert.Equal((0, "[]\n"), (result.ExitCode, result.Out));
        Assert.Equal("version ..; max=15, order=desc", api.Server.The("GET", "/apps/my-app/releases").Header("Range"));
    }

    [Fact]
    public async Task ReleasesInfo_ByVersion()
    {
        await using var api = await ApiFixture.StartAsync();
        api.Cli.Time = new FixedTimeProvider(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);
        api.Server.MapJson("GET", "/apps/my-app/releases/2",
            """{"id":"r2","version":2,"description":"Deploy abc1234","status":"succeeded","current":false,"created_at":"2026-11-29T19:59:00Z","user":{"email":"dev@example.com"}}""");

        var result = await api.Cli.RunAsync("releases:info", "v2", "-a", "my-app");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "=== Release v2\n\nBy:      dev@example.com\nChange:  Deploy abc1234\nCurrent: no\nStatus:  succeeded\nWhen:    2026/11/29 19:59:00 +0000 (~ 1h ago)\n",
            result.Out);
    }
}
