using System.Security.Cryptography;
using System.Text;

namespace Slipway.Storage.Access;

/// <summary>
/// Encrypts access-key secrets at rest. SigV4 verification needs the secret itself (unlike a password, it cannot be
/// stored as a hash), so it is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the platform's
/// <c>secret.key</c>, which lives in the data directory root with mode 0600 — outside <c>objects/</c>, so a copy of the
/// index alone reveals no secret. The access key id is the associated data: a sealed secret cannot be moved to another key.
/// </summary>
public sealed class SecretSealer
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretSealer(byte[] platformKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(platformKey.Length, 16, nameof(platformKey));
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, platformKey, 32, info: "slipway storage access-key secrets v1"u8.ToArray());
    }

    public byte[] Seal(string accessKeyId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(accessKeyId));
        return sealedBytes;
    }

    public string Unseal(string accessKeyId, byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(accessKeyId));
        return Encoding.UTF8.GetString(plain);
    }
}
