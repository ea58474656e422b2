namespace Slipway.Storage.S3.Auth;

/// <summary>
/// Presigned URLs whose signature has been verified, so that a URL fetched again (a page's images, a download retried)
/// skips parsing its credential and date, the canonical request, its SHA-256 and the HMAC. An entry is keyed by the
/// whole signed input (method, request target, canonical signed headers, payload hash); the caller still checks the
/// URL's time window and looks its key up on every request (revocation), and a hit counts only for the same secret.
/// </summary>
/// <remarks>
/// A URL is admitted on its second verification, not its first: most presigned URLs are fetched once, and keeping each
/// one's ~1 KB entry until 4,096 newer ones came made it outlive several gen0 collections (promoted, then collected as
/// gen1 garbage). A first verification only leaves the signature's hash in a slot; that hash decides admission and
/// nothing else, since a hit always compares the whole signed input.
/// </remarks>
internal sealed class VerifiedUrlCache
{
    private const int Capacity = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, VerifiedUrl> _urls = new(StringComparer.Ordinal);
    private readonly int[] _seenOnce = new int[Capacity];

    public bool TryGet(string signedInput, out VerifiedUrl verified)
    {
        lock (_gate)
        {
            return _urls.TryGetValue(signedInput, out verified!);
        }
    }

    /// <summary>
    /// Records a URL just verified: kept if its signature was verified before, recently enough that its slot still
    /// holds that signature's hash; otherwise only that hash is kept. Returns whether the URL was kept.
    /// </summary>
    public bool Add(string signedInput, string signature, VerifiedUrl verified)
    {
        // Randomised per process, so a client cannot pick signatures that keep evicting each other's slots.
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

            _urls[signedInput] = verified;
            return true;
        }
    }

    /// <summary>What a presigned request's signature covers, besides the key's secret.</summary>
    public static string SignedInput(string method, string target, string canonicalHeaders, string payloadHash) =>
        string.Concat(method, "\n", target, "\n", canonicalHeaders, payloadHash);
}

/// <summary>What verifying a presigned URL established: whose key signed it, with which secret, and when it is valid.</summary>
internal sealed record VerifiedUrl(string AccessKeyId, string Secret, DateTimeOffset SignedAt, long ExpiresSeconds);
