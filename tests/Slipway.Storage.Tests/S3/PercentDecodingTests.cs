using Slipway.Storage.S3;

namespace Slipway.Storage.Tests.S3;

public sealed class PercentDecodingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a%2Fb%2fc", "a/b/c")]
    [InlineData("%C3%A9t%C3%A9", "été")]
    [InlineData("été%20x", "été x")]
    [InlineData("100%", "100%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz%41", "%zzA")]
    [InlineData("a+b", "a+b")]
    [InlineData("%F0%9F%93%B7 📷", "📷 📷")]
    public void Decode_DecodesEscapes_AndKeepsAnyOtherText(string raw, string expected) =>
        Assert.Equal(expected, PercentDecoding.Decode(raw));

    [Theory]
    [InlineData("%FF")]
    [InlineData("ok%C3")]
    [InlineData("%C3%28")]
    public void Decode_InvalidUtf8_IsInvalidUri(string raw) =>
        Assert.Equal("InvalidURI", Assert.Throws<S3Exception>(() => PercentDecoding.Decode(raw)).Code);
}
