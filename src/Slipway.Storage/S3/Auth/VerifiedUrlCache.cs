namespace Slipway.Storage.S3.Auth;

/// <summary>
/// Presigned URLs whose signature has been verified, so that a URL fetched again (a page's images, a download retried)
/// skips parsing its credential and date, the canonical request, its SHA-256 and the HMAC. An entry is found by the
/// URL's signature and answers only a request whose whole signed input (method, request target, canonical signed
/// headers, payload hash) is the one verified; the caller still checks the URL's time window and looks its key up on
/// every request (revocation), and a hit counts only for the same secret.
/// </summary>
/// <remarks>
/// A URL is admitted on its second verification, not its first: most presigned URLs are fetched once, and keeping each
/// one's ~1 KB entry until 4,096 newer ones came made it outlive several gen0 collections (promoted, then collected as
/// gen1 garbage). A first verification only leaves the signature's hash in a slot; that hash decides admission and
/// nothing else.
/// </remarks>
internal sealed class VerifiedUrlCache
{
    private const int Capacity = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (SignedInput Input, VerifiedUrl Verified)> _urls = new(StringComparer.Ordinal);
    private readonly int[] _seenOnce = new int[Capacity];

    public bool TryGet(string signature, in SignedInput input, out VerifiedUrl verified)
    {
        lock (_gate)
        {
            if (_urls.TryGetValue(signature, out var entry) && entry.Input == input)
            {
                verified = entry.Verified;
                return true;
            }
        }

        verified = default;
        return false;
    }

    /// <summary>
    /// Records a URL just verified: kept if its signature was verified before, recently enough that its slot still
    /// holds that signature's hash; otherwise only that hash is kept. Returns whether the URL was kept.
    /// </summary>
    public bool Add(string signature, in SignedInput input, in VerifiedUrl verified)
    {
        // String hashes are randomised per process: which signatures share a slot cannot be chosen from outside.
        var fingerprint = signature.GetHashCode();
        var slot = fingerprint & (Capacity - 1);
        lock (_gate)
        {
            if (_seenOnce[slot] != fingerprint)
            {
                _seenOnce[slot] = fingerprint;
                return false;
            }

            // Old URLs are of little further use: a full cache starts over rather than tracking use.
            if (_urls.Count >= Capacity)
            {
                _urls.Clear();
            }

            _urls[signature] = (input, verified);
            return true;
        }
    }
}

/// <summary>
/// What a presigned request's signature covers, besides the key's secret, compared part by part (ordinal) instead of
/// joined into one string per request. The raw target includes the signature itself.
/// </summary>
internal readonly record struct SignedInput(string Method, string Target, string CanonicalHeaders, string PayloadHash);

/// <summary>
/// What verifying a presigned URL established: whose key signed it, with which secret, and when it is valid. A struct:
/// every verification makes one, and most are not admitted.
/// </summary>
internal readonly record struct VerifiedUrl(string AccessKeyId, string Secret, DateTimeOffset SignedAt, long ExpiresSeconds);
