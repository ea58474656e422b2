using Slipway.Storage.S3;

namespace Slipway.Storage.Tests.S3;

public sealed class S3RequestTests
{
    private static readonly string[] Hosts = ["localhost", "127.0.0.1", "storage.example", "s3.storage.example"];

    [Theory]
    [InlineData("localhost", null)]
    [InlineData("LOCALHOST", null)]
    [InlineData("127.0.0.1", null)]
    [InlineData("s3.storage.example", null)]
    [InlineData("photos.localhost", "photos")]
    [InlineData("Photos.LocalHost", "photos")]
    [InlineData("my.photos.storage.example", "my.photos")]
    [InlineData("photos.s3.storage.example", "photos")]
    [InlineData("photoslocalhost", null)]
    [InlineData("example.org", null)]
    [InlineData("", null)]
    public void BucketFromHost_NamesTheBucketBeforeTheLongestStorageHost(string host, string? bucket) =>
        Assert.Equal(bucket, S3Request.BucketFromHost(host, Hosts));
}
