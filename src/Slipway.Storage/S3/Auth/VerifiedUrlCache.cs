namespace Slipway.Storage.S3.Auth;

/// <summary>
/// Presigned URLs whose signature has been verified, so that a URL fetched again (a page's images, a download retried)
/// skips parsing its credential and date, the canonical request, its SHA-256 and the HMAC. An entry is keyed by the
/// whole signed input (method, request target, canonical signed headers, payload hash); the caller still checks the
/// URL's time window and looks its key up on every request (revocation), and a hit counts only for the same secret.
/// </summary>
internal sealed class VerifiedUrlCache
{
    private const int Capacity = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, VerifiedUrl> _urls = new(StringComparer.Ordinal);

    public bool TryGet(string signedInput, out VerifiedUrl verified)
    {
        lock (_gate)
        {
            return _urls.TryGetValue(signedInput, out verified!);
        }
    }

    public void Add(string signedInput, VerifiedUrl verified)
    {
        lock (_gate)
        {
            // Old URLs are of little further use: a full cache starts over rather than tracking use.
            if (_urls.Count >= Capacity)
            {
                _urls.Clear();
            }

            _urls[signedInput] = verified;
        }
    }

    /// <summary>What a presigned request's signature covers, besides the key's secret.</summary>
    public static string SignedInput(string method, string target, string canonicalHeaders, string payloadHash) =>
        string.Concat(method, "\n", target, "\n", canonicalHeaders, payloadHash);
}

/// <summary>What verifying a presigned URL established: whose key signed it, with which secret, and when it is valid.</summary>
internal sealed record VerifiedUrl(string AccessKeyId, string Secret, DateTimeOffset SignedAt, long ExpiresSeconds);
