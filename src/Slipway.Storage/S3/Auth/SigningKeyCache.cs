namespace Slipway.Storage.S3.Auth;

/// <summary>
/// SigV4 signing keys by secret and scope (<c>YYYYMMDD/REGION/SERVICE/aws4_request</c>). A key is valid for a whole day,
/// and deriving it costs four HMACs of the request's budget, so every request of the day after the first reuses it.
/// Keyed by the secret itself: a revoked key never gets this far (its lookup fails first), and a new key has a new secret.
/// </summary>
internal sealed class SigningKeyCache
{
    private const int Capacity = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Secret, string Scope), byte[]> _keys = [];

    public byte[] Get(string secret, string scope)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue((secret, scope), out var key))
            {
                return key;
            }
        }

        var parts = scope.Split('/');
        if (parts.Length != 4)
        {
            throw new ArgumentException($"A SigV4 scope has four parts: {scope}", nameof(scope));
        }

        var derived = SigV4.SigningKey(secret, parts[0], parts[1], parts[2]);
        lock (_gate)
        {
            // Yesterday's keys are of no further use: a full cache starts over.
            if (_keys.Count >= Capacity)
            {
                _keys.Clear();
            }

            _keys[(secret, scope)] = derived;
        }

        return derived;
    }
}
