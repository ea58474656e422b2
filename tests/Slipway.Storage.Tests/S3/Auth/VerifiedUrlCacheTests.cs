using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.Tests.S3.Auth;

public sealed class VerifiedUrlCacheTests
{
    private const string Signature = "ab";

    private static readonly SignedInput Input = new("GET", "/b/k?X-Amz-Signature=ab", "host:127.0.0.1:9000\n", "UNSIGNED-PAYLOAD");

    private static readonly VerifiedUrl Verified = new("SLPWKEY", "secret", DateTimeOffset.UnixEpoch, 300);

    [Fact]
    public void TryGet_BeforeAdd_Misses() => Assert.False(new VerifiedUrlCache().TryGet(Signature, Input, out _));

    [Fact]
    public void Add_FirstSight_KeepsNothing()
    {
        var cache = new VerifiedUrlCache();
        Assert.False(cache.Add(Signature, Input, Verified));
        Assert.False(cache.TryGet(Signature, Input, out _));
    }

    [Fact]
    public void TryGet_AfterSecondAdd_AnswersWhatWasVerified()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Signature, Input, Verified);
        Assert.True(cache.Add(Signature, Input, Verified));
        Assert.True(cache.TryGet(Signature, Input, out var found));
        Assert.Equal(Verified, found);
    }

    [Fact]
    public void TryGet_SameSignature_MissesUnlessEveryPartOfTheSignedInputIsEqual()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Signature, Input, Verified);
        cache.Add(Signature, Input, Verified);
        SignedInput[] others =
        [
            Input with { Method = "PUT" },
            Input with { Target = "/b/k2?X-Amz-Signature=ab" },
            Input with { CanonicalHeaders = "host:localhost:9000\n" },
            Input with { PayloadHash = SigV4.EmptySha256 },
        ];
        foreach (var other in others)
        {
            Assert.False(cache.TryGet(Signature, other, out _));
        }

        Assert.True(cache.TryGet(Signature, Input with { Target = new string(Input.Target.AsSpan()) }, out _));
    }

    [Fact]
    public void Add_SameSignatureOtherInput_KeepsOnlyTheInputVerified()
    {
        // The signature's hash only admits; what a hit answers is matched on the whole signed input.
        var cache = new VerifiedUrlCache();
        var otherHost = Input with { CanonicalHeaders = "host:localhost:9000\n" };
        cache.Add(Signature, Input, Verified);
        cache.Add(Signature, otherHost, Verified);
        Assert.True(cache.TryGet(Signature, otherHost, out _));
        Assert.False(cache.TryGet(Signature, Input, out _));
    }

    [Fact]
    public void Add_AfterAnotherUrlTookItsSlot_IsFirstSightAgain()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Signature, Input, Verified);
        var other = SignatureInSameSlot(Signature);
        cache.Add(other, Input with { Target = "/b/k?X-Amz-Signature=" + other }, Verified);

        Assert.False(cache.Add(Signature, Input, Verified));
        Assert.False(cache.TryGet(Signature, Input, out _));
    }

    [Fact]
    public void Add_WhenFull_StartsOver()
    {
        var cache = new VerifiedUrlCache();
        cache.Add(Signature, Input, Verified);
        cache.Add(Signature, Input, Verified);
        for (var i = 0; i < 5000; i++)
        {
            var other = Input with { Target = "/b/k?X-Amz-Signature=" + i };
            cache.Add("sig " + i, other, Verified);
            cache.Add("sig " + i, other, Verified);
        }

        Assert.False(cache.TryGet(Signature, Input, out _));
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
}
