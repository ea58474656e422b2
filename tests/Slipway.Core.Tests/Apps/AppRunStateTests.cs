using Slipway.Core.Apps;
using Slipway.Core.Dynos;

namespace Slipway.Core.Tests.Apps;

public sealed class AppRunStateTests
{
    [Theory]
    [InlineData(true, "web:up", "building")]
    [InlineData(false, "web:up,web:crashed", "crashed")]
    [InlineData(false, "web:idle,web:idle", "sleeping")]
    [InlineData(false, "web:idle,worker:up", "up")]
    [InlineData(false, "web:up,web:starting", "up")]
    [InlineData(false, "web:starting", "starting")]
    [InlineData(false, "", "stopped")]
    [InlineData(false, "run:up,release:crashed", "stopped")]
    public void Of_SaysTheAppsStateInOneWord(bool building, string dynos, string expected)
    {
        var records = dynos.Split(',', StringSplitOptions.RemoveEmptyEntries).Select((d, i) => Dyno(d.Split(':')[0], DynoStateNames.Parse(d.Split(':')[1]), i));
        Assert.Equal(expected, AppRunState.Of(building, records));
    }

    private static DynoRecord Dyno(string type, DynoState state, int index) => new()
    {
        Id = $"id-{index}",
        AppId = "app",
        Name = $"{type}.{index + 1}",
        Type = type,
        Command = "npm start",
        Size = "basic",
        State = state,
        ReleaseId = "release",
        ReleaseVersion = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
