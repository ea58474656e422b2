namespace Slipway.Data.Tests;

public sealed class MountTableTests : IDisposable
{
    private readonly string _mountInfo = Path.GetTempFileName();

    public MountTableTests() => File.WriteAllText(_mountInfo, """
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
        40 27 0:50 / /srv/dynos/a\040b/app rw,relatime shared:9 - overlay overlay rw,lowerdir=/l
        """);

    [Fact]
    public void IsMountPoint_MatchesTheWholeUnescapedPath_WithOrWithoutATrailingSlash()
    {
        Assert.True(MountTable.IsMountPoint("/srv/dynos/a b/app", _mountInfo));
        Assert.True(MountTable.IsMountPoint("/srv/dynos/a b/app/", _mountInfo));
        Assert.False(MountTable.IsMountPoint("/srv/dynos/a b", _mountInfo));
    }

    [Fact]
    public void Containing_IsTheLongestMountPointAbove()
    {
        Assert.Equal(new Mount("/srv/dynos/a b/app", "0:50", "overlay", "overlay"), MountTable.Containing("/srv/dynos/a b/app/tmp", _mountInfo));
        Assert.Equal("/", MountTable.Containing("/srv/dynos/a b/application", _mountInfo)?.MountPoint);
    }

    public void Dispose() => File.Delete(_mountInfo);
}
