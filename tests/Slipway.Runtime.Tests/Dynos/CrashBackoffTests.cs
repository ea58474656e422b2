using Slipway.Runtime.Dynos;

namespace Slipway.Runtime.Tests.Dynos;

public sealed class CrashBackoffTests
{
    [Fact]
    public void Delay_FirstRestartImmediate_ThenDoubling_UpToTheCeiling()
    {
        var ceiling = TimeSpan.FromMinutes(20);
        Assert.Equal(TimeSpan.Zero, CrashBackoff.Delay(1, ceiling));
        Assert.Equal(TimeSpan.FromSeconds(10), CrashBackoff.Delay(2, ceiling));
        Assert.Equal(TimeSpan.FromSeconds(20), CrashBackoff.Delay(3, ceiling));
        Assert.Equal(TimeSpan.FromSeconds(40), CrashBackoff.Delay(4, ceiling));
        Assert.Equal(ceiling, CrashBackoff.Delay(12, ceiling));
        Assert.Equal(ceiling, CrashBackoff.Delay(1000, ceiling));
    }
}
