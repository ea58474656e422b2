namespace Slipway.Storage.S3.Auth;

/// <summary>
/// SigV4 signing keys by secret and scope. A key is valid for a whole day, and deriving it costs four HMACs of the
/// request's budget, so every request of the day after the first reuses it. Keyed by the secret itself: a revoked key
/// never gets this far (its lookup fails first), and a new key has a new secret.
/// </summary>
internal sealed class SigningKeyCache
{
    private const int Capacity = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Secret, string Date, string Region, string Service), byte[]> _keys = [];

    public byte[] Get(string secret, string date, string region, string service)
    {
        var scope = (secret, date, region, service);
        lock (_gate)
        {
            if (_keys.TryGetValue(scope, out var key))
            {
                return key;
            }
        }

        var derived = SigV4.SigningKey(secret, date, region, service);
        lock (_gate)
        {
            // Yesterday's keys are of no further use: a full cache starts over.
            if (_keys.Count >= Capacity)
            {
                _keys.Clear();
            }

            _keys[scope] = derived;
        }

        return derived;
    }
}
