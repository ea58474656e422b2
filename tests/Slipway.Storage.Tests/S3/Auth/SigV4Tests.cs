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

    [Theory]
    [InlineData("20261130T120000Z")]
    [InlineData("20240229T235959Z")]
    [InlineData("00010101T000000Z")]
    [InlineData("99991231T235959Z")]
    [InlineData("20230229T120000Z")]
    [InlineData("20261131T120000Z")]
    [InlineData("20261300T120000Z")]
    [InlineData("20261130T240000Z")]
    [InlineData("20261130T126000Z")]
    [InlineData("20261130T120060Z")]
    [InlineData("00000101T000000Z")]
    [InlineData("20261130t120000Z")]
    [InlineData("20261130T120000z")]
    [InlineData("20261130T120000")]
    [InlineData("20261130T1200000Z")]
    [InlineData(" 20261130T12000Z")]
    [InlineData("2026113OT120000Z")]
    [InlineData("２0261130T120000Z")]
    [InlineData("+0261130T120000Z")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseAmzDate_AcceptsWhatTheGeneralParserAccepts(string? value)
    {
        var expected = DateTimeOffset.TryParseExact(value, SigV4.DateFormat, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var expectedDate);
        Assert.Equal(expected, SigV4.TryParseAmzDate(value, out var date));
        Assert.Equal(expectedDate, date);
        Assert.Equal(expectedDate.Offset, date.Offset);
    }
}
