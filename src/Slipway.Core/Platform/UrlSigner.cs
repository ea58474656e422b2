using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Core.Platform;

/// <summary>
/// Signs short-lived capability URLs (source uploads, build output, log streams) with HMAC-SHA256, so clients that send
/// no Authorization header — curl, the heroku CLI's EventSource — can still be let in, and only for that one resource.
/// </summary>
public sealed class UrlSigner(byte[] key, TimeProvider time)
{
    public string Sign(string resource, TimeSpan lifetime)
    {
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"expires={expires}&signature={Signature(resource, expires)}";
    }

    /// <summary>True when the signature matches <paramref name="resource"/> and has not expired.</summary>
    public bool Verify(string resource, string? expires, string? signature)
    {
        if (expires is null || signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return false;
        }

        if (DateTimeOffset.FromUnixTimeSeconds(unix) < time.GetUtcNow())
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Signature(resource, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Signature(string resource, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{resource}\n{expires}")));
}
