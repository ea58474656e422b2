namespace Slipway.Api.Tests;

public sealed class ProjectBuilds
{
    [Fact]
    public void References_Resolve() => Assert.NotNull(typeof(Slipway.Api.PlatformApi));
}
