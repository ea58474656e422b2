using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.Tests.S3.Auth;

public sealed class VerifiedUrlCacheTests
{
    private const string Signature = "ab";

    private static readonly string Input = VerifiedUrlCache.SignedInput("GET", "/b/k?X-Amz-Signature=ab", "host:127.0.0.1:9000\n", "UNSIGNED-PAYLOAD");

    private static readonly VerifiedUrl Verified = new("SLPWKEY", "secret", DateTimeOffset.UnixEpoch, 300);

    [Fact]
    public void TryGet_BeforeAdd_Misses() => Assert.False(new VerifiedUrlCache().TryGet(Input, out _));

    [Fact]
    public void Add_FirstSight_KeepsNothing()
    {
        var cache = new VerifiedUrlCache();
        Assert.False(cache.Add(Input, Signature, Verified));
        Assert.False(cache.TryGet(Input, out _));
    }

    [Fact]
    public void TryGet_AfterSecondAdd_AnswersWhatWasVerified()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Input, Signature, Verified);
        Assert.True(cache.Add(Input, Signature, Verified));
        Assert.True(cache.TryGet(Input, out var found));
        Assert.Equal(Verified, found);
    }

    [Fact]
    public void Add_SameSignatureOtherInput_KeepsOnlyTheInputVerified()
    {
        // The signature's hash only admits; what a hit answers is matched on the whole signed input.
        var cache = new VerifiedUrlCache();
        var otherHost = VerifiedUrlCache.SignedInput("GET", "/b/k?X-Amz-Signature=ab", "host:localhost:9000\n", "UNSIGNED-PAYLOAD");
        cache.Add(Input, Signature, Verified);
        cache.Add(otherHost, Signature, Verified);
        Assert.True(cache.TryGet(otherHost, out _));
        Assert.False(cache.TryGet(Input, out _));
    }

    [Fact]
    public void Add_AfterAnotherUrlTookItsSlot_IsFirstSightAgain()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Input, Signature, Verified);
        var other = SignatureInSameSlot(Signature);
        cache.Add("other", other, Verified);

        Assert.False(cache.Add(Input, Signature, Verified));
        Assert.False(cache.TryGet(Input, out _));
    }

    /// <summary>A signature whose hash picks the same slot of the 4,096 as <paramref name="signature"/>'s, but differs.</summary>
    private static string SignatureInSameSlot(string signature)
    {
        var hash = signature.GetHashCode();
        for (var i = 0; ; i++)
        {
            var candidate = "sig " + i;
            var other = candidate.GetHashCode();
            if ((other & 4095) == (hash & 4095) && other != hash)
            {
                return candidate;
            }
        }
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
        cache.Add(Input, Signature, Verified);
        cache.Add(Input, Signature, Verified);
        for (var i = 0; i < 5000; i++)
        {
            cache.Add("other " + i, "sig " + i, Verified);
            cache.Add("other " + i, "sig " + i, Verified);
        }

        Assert.False(cache.TryGet(Input, out _));
    }
}
