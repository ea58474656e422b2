using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.Tests.S3.Auth;

public sealed class VerifiedUrlCacheTests
{
    private static readonly string Input = VerifiedUrlCache.SignedInput("GET", "/b/k?X-Amz-Signature=ab", "host:127.0.0.1:9000\n", "UNSIGNED-PAYLOAD");

    [Fact]
    public void Contains_BeforeAdd_IsFalse() => Assert.False(new VerifiedUrlCache().Contains(Input, "secret"));

    [Fact]
    public void Contains_AfterAdd_IsTrueForTheSameSecretOnly()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Input, "secret");
        Assert.True(cache.Contains(Input, "secret"));
        Assert.False(cache.Contains(Input, "another secret"));
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
        cache.Add(Input, "secret");
        for (var i = 0; i < 5000; i++)
        {
            cache.Add("other " + i, "secret");
        }

        Assert.False(cache.Contains(Input, "secret"));
    }
}
