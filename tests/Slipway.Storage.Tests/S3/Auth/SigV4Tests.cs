using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.Tests.S3.Auth;

public sealed class SigV4Tests
{
    [Theory]
    [InlineData("plain-Name_1.2~", false, "plain-Name_1.2~")]
    [InlineData("a/b c", false, "a%2Fb%20c")]
    [InlineData("a/b c", true, "a/b%20c")]
    [InlineData("photos/été.jpg", true, "photos/%C3%A9t%C3%A9.jpg")]
    public void UriEncode_KeepsUnreservedCharacters_AndEscapesTheRestAsUtf8(string value, bool keepSlash, string expected) =>
        Assert.Equal(expected, SigV4.UriEncode(value, keepSlash));

    [Fact]
    public void CanonicalQuery_SortsByNameThenValue_AndLeavesOutTheSignature()
    {
        KeyValuePair<string, string>[] query = [new("b", "2"), new("a", "x y"), new("X-Amz-Signature", "abc"), new("a", "1"), new("uploads", "")];
        Assert.Equal("a=1&a=x%20y&b=2&uploads=", SigV4.CanonicalQuery(query));
    }

    [Fact]
    public void SigningKeyCache_GivesTheDerivedKey_PerSecretAndScope()
    {
        var cache = new SigningKeyCache();
        var key = cache.Get("secret-1", "20261130/us-east-1/s3/aws4_request");
        Assert.Equal(SigV4.SigningKey("secret-1", "20261130", "us-east-1", "s3"), key);
        Assert.Same(key, cache.Get("secret-1", "20261130/us-east-1/s3/aws4_request"));
        Assert.NotEqual(key, cache.Get("secret-2", "20261130/us-east-1/s3/aws4_request"));
        Assert.NotEqual(key, cache.Get("secret-1", "20261201/us-east-1/s3/aws4_request"));
        Assert.NotEqual(key, cache.Get("secret-1", "20261130/eu-west-1/s3/aws4_request"));
    }
}
