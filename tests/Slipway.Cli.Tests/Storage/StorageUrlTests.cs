using Slipway.Cli.Storage;

namespace Slipway.Cli.Tests.Storage;

public class StorageUrlTests
{
    [Theory]
    [InlineData("s3://photos", "photos", "")]
    [InlineData("s3://photos/", "photos", "")]
    [InlineData("s3://photos/avatars/me.png", "photos", "avatars/me.png")]
    [InlineData("S3://photos/a b/ü", "photos", "a b/ü")]
    public void Parse_SplitsBucketAndKey(string text, string bucket, string key) =>
        Assert.Equal(new StorageUrl(bucket, key), StorageUrl.Parse(text));

    [Theory]
    [InlineData("photos/me.png")]
    [InlineData("s3:///me.png")]
    [InlineData("s3://")]
    public void Parse_WithoutSchemeOrBucket_IsAUsageError(string text) =>
        Assert.Contains("s3://BUCKET/KEY", Assert.Throws<UsageException>(() => StorageUrl.Parse(text)).Message);

    [Fact]
    public void FileName_IsTheKeysLastSegment() => Assert.Equal("me.png", StorageUrl.Parse("s3://b/avatars/me.png").FileName);
}
