namespace Slipway.Storage.S3.Auth;

/// <summary>
/// Presigned URLs whose signature has been verified, so that a URL fetched again (a page's images, a download retried)
/// skips the canonical request, its SHA-256 and the HMAC. An entry is the whole signed input (method, request target,
/// canonical signed headers, payload hash) and the secret it verified against; expiry and revocation are checked on
/// every request before this cache is asked, and a key's secret never changes, so a hit is the answer the HMAC would give.
/// </summary>
internal sealed class VerifiedUrlCache
{
    private const int Capacity = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public bool Contains(string signedInput, string secret)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue(signedInput, out var verified) && string.Equals(verified, secret, StringComparison.Ordinal);
        }
    }

    public void Add(string signedInput, string secret)
    {
        lock (_gate)
        {
            // Old URLs are of little further use: a full cache starts over rather than tracking use.
            if (_secrets.Count >= Capacity)
            {
                _secrets.Clear();
            }

            _secrets[signedInput] = secret;
        }
    }

    /// <summary>What a presigned request's signature covers, besides the key's secret.</summary>
    public static string SignedInput(string method, string target, string canonicalHeaders, string payloadHash) =>
        string.Concat(method, "\n", target, "\n", canonicalHeaders, payloadHash);
}
