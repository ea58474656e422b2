using Microsoft.AspNetCore.Http;
using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.Tests.S3.Auth;

public sealed class SignatureCheckTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20261130T120000Z";
    private const string Scope = "20261130/us-east-1/s3/aws4_request";

    public static TheoryData<string, KeyValuePair<string, string>[]> Requests => new()
    {
        { "/photos/cat.jpg", [] },
        { "/photos/cat.jpg", [new("X-Amz-Signature", "ignored"), new("X-Amz-Credential", "AKID/20261130/us-east-1/s3/aws4_request"), new("X-Amz-Expires", "300")] },
        { "/b/%C3%A9t%C3%A9", [new("b", "2"), new("a", "x y"), new("a", "1"), new("uploads", ""), new("prefix", "été/ü+~")] },
        { "/", [new("z", ""), new("Z", ""), new("a-b", "1"), new("a", "2")] },
        { "/many", Enumerable.Range(0, 40).Select(i => new KeyValuePair<string, string>($"p{(i * 7) % 40}", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray() },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Matches_TheSignatureOfTheStringFormsOfSigV4(string canonicalUri, KeyValuePair<string, string>[] query)
    {
        var (key, headers, signature) = Sign("PUT", canonicalUri, query);

        Assert.True(SignatureCheck.Matches(key, AmzDate, Scope, "PUT", canonicalUri, query, headers, "host;x-amz-date", SigV4.UnsignedPayload, signature, out var canonical, out var toSign));
        Assert.True(SignatureCheck.Matches(key, AmzDate, Scope, "PUT", canonicalUri, query, headers, "host;x-amz-date", SigV4.UnsignedPayload, signature.ToUpperInvariant(), out _, out _));
        Assert.Null(canonical);
        Assert.Null(toSign);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Mismatch_GivesTheCanonicalRequestAndStringToSign_AsTheStringFormsDo(string canonicalUri, KeyValuePair<string, string>[] query)
    {
        var (key, headers, signature) = Sign("GET", canonicalUri, query);
        var expectedCanonical = SigV4.CanonicalRequest("GET", canonicalUri, SigV4.CanonicalQuery(query), headers, "host;x-amz-date", SigV4.UnsignedPayload);

        Assert.False(SignatureCheck.Matches(key, AmzDate, Scope, "HEAD", canonicalUri, query, headers, "host;x-amz-date", SigV4.UnsignedPayload, signature, out _, out _));
        Assert.False(SignatureCheck.Matches(key, AmzDate, Scope, "GET", canonicalUri, query, headers, "host;x-amz-date", SigV4.UnsignedPayload, (signature[0] == '0' ? "1" : "0") + signature[1..], out var canonical, out var toSign));
        Assert.Equal(expectedCanonical, canonical);
        Assert.Equal(SigV4.StringToSign(AmzDate, Scope, expectedCanonical), toSign);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz")]
    public void Mismatch_ForSignaturesThatAreNotHexOfTheRightLength(string provided)
    {
        var (key, headers, signature) = Sign("GET", "/a", []);
        Assert.False(SignatureCheck.Matches(key, AmzDate, Scope, "GET", "/a", [], headers, "host;x-amz-date", SigV4.UnsignedPayload, provided, out _, out _));
        Assert.False(SignatureCheck.Matches(key, AmzDate, Scope, "GET", "/a", [], headers, "host;x-amz-date", SigV4.UnsignedPayload, signature + "00", out _, out _));
        Assert.False(SignatureCheck.Matches(key, AmzDate, Scope, "GET", "/a", [], headers, "host;x-amz-date", SigV4.UnsignedPayload, signature[..^2] + "zz", out _, out _));
    }

    [Fact]
    public void Matches_WithSigningKeysThatChangeBetweenRequests()
    {
        var first = Sign("GET", "/a", []);
        var second = Sign("GET", "/a", []);
        var other = new SigningKeyCache().Get("another secret", Scope);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(SignatureCheck.Matches(first.Key, AmzDate, Scope, "GET", "/a", [], first.CanonicalHeaders, "host;x-amz-date", SigV4.UnsignedPayload, first.Signature, out _, out _));
            Assert.False(SignatureCheck.Matches(other, AmzDate, Scope, "GET", "/a", [], first.CanonicalHeaders, "host;x-amz-date", SigV4.UnsignedPayload, first.Signature, out _, out _));
            Assert.True(SignatureCheck.Matches(second.Key, AmzDate, Scope, "GET", "/a", [], second.CanonicalHeaders, "host;x-amz-date", SigV4.UnsignedPayload, second.Signature, out _, out _));
        }
    }

    [Fact]
    public void CanonicalHeaders_TrimsCollapsesAndJoins_InSignedOrder()
    {
        var headers = new HeaderDictionary { ["host"] = "127.0.0.1:9000", ["x-amz-meta-a"] = new(["  one   two ", "three"]), ["x-amz-date"] = AmzDate };
        Assert.Equal("host:127.0.0.1:9000\n", SigV4.CanonicalHeaders(headers, "host"));
        Assert.Equal("x-amz-date:" + AmzDate + "\nx-amz-meta-a:one two,three\nhost:127.0.0.1:9000\nmissing:\n", SigV4.CanonicalHeaders(headers, "x-amz-date;x-amz-meta-a;host;missing"));
    }

    private static (byte[] Key, string CanonicalHeaders, string Signature) Sign(string method, string canonicalUri, KeyValuePair<string, string>[] query)
    {
        var key = new SigningKeyCache().Get(Secret, Scope);
        var headers = SigV4.CanonicalHeaders(new HeaderDictionary { ["host"] = "localhost:9000", ["x-amz-date"] = AmzDate }, "host;x-amz-date");
        var canonical = SigV4.CanonicalRequest(method, canonicalUri, SigV4.CanonicalQuery(query), headers, "host;x-amz-date", SigV4.UnsignedPayload);
        return (key, headers, SigV4.Sign(key, SigV4.StringToSign(AmzDate, Scope, canonical)));
    }
}
