using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.Tests.S3.Auth;

public sealed class VerifiedUrlCacheTests
{
    private static readonly string Input = VerifiedUrlCache.SignedInput("GET", "/b/k?X-Amz-Signature=ab", "host:127.0.0.1:9000\n", "UNSIGNED-PAYLOAD");

    private static readonly VerifiedUrl Verified = new("SLPWKEY", "secret", DateTimeOffset.UnixEpoch, 300);

    [Fact]
    public void TryGet_BeforeAdd_Misses() => Assert.False(new VerifiedUrlCache().TryGet(Input, out _));

    [Fact]
    public void TryGet_AfterAdd_AnswersWhatWasVerified()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Input, Verified);
        Assert.True(cache.TryGet(Input, out var found));
        Assert.Equal(Verified, found);
    }

    [Fact]
    public void SignedInput_DiffersByMethodTargetHeadersAndPayload()
    {
        string[] inputs =
        [
            Input,
            VerifiedUrlCache.SignedInput("PUT", "/b/k?X-Amz-Signature=ab", "host:127.0.0.1:9000\n", "UNSIGNED-PAYLOAD"),
            VerifiedUrlCache.SignedInput("GET", "/b/k2?X-Amz-Signature=ab", "host:127.0.0.1:9000\n", "UNSIGNED-PAYLOAD"),
            VerifiedUrlCache.SignedInput("GET", "/b/k?X-Amz-Signature=ab", "host:localhost:9000\n", "UNSIGNED-PAYLOAD"),
            VerifiedUrlCache.SignedInput("GET", "/b/k?X-Amz-Signature=ab", "host:127.0.0.1:9000\n", SigV4.EmptySha256),
        ];
        Assert.Equal(inputs.Length, inputs.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Add_WhenFull_StartsOver()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Input, Verified);
        for (var i = 0; i < 5000; i++)
        {
            cache.Add("other " + i, Verified);
        }

        Assert.False(cache.TryGet(Input, out _));
    }
}
