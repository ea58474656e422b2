namespace Slipway.Storage.Tests;

public sealed class ProjectBuilds
{
    [Fact]
    public void References_Resolve() => Assert.NotNull(typeof(Slipway.Storage.Blobs.BlobEndpoints));
}
