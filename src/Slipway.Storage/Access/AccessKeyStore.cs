using System.Security.Cryptography;
using Dapper;
using Slipway.Core.Errors;
using Slipway.Storage.Engine;

namespace Slipway.Storage.Access;

/// <summary>Creates, lists, finds and revokes access keys; secrets are sealed with <see cref="SecretSealer"/>.</summary>
public sealed class AccessKeyStore(FileObjectStore store, SecretSealer sealer, TimeProvider time)
{
    private const string Columns = "id, account, bucket, read_only AS ReadOnly, description, created_ms AS CreatedMs, sealed_secret AS SealedSecret";
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    // Every S3 request looks its key up: keep found keys in memory. This store is the only writer of access_keys, and a
    // revocation bumps the counter so that a lookup which raced it cannot put the revoked key back.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AccessKeyWithSecret> _found = new(StringComparer.Ordinal);
    private long _revocations;

    public async Task<AccessKeyWithSecret> CreateAsync(string account, string? bucket, bool readOnly, string? description, CancellationToken cancellationToken = default)
    {
        if (bucket is not null)
        {
            var found = await store.GetBucketAsync(bucket, cancellationToken);
            if (found is null || found.Owner != account)
            {
                throw PlatformException.NotFound($"Couldn't find bucket {bucket} among your buckets. Create it first (any S3 client with an account-wide key).");
            }
        }

        // AWS-shaped: a 20-character id and a 40-character secret, so tools that validate the format accept them.
        var id = "SLPW" + string.Concat(RandomNumberGenerator.GetBytes(16).Select(b => Base32[b & 31]));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
        var key = new AccessKey(id, account, bucket, readOnly, description, DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()));
        await store.Index.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO access_keys (id, account, bucket, read_only, sealed_secret, description, created_ms) VALUES (@id, @account, @bucket, @readOnly, @sealedSecret, @description, @created)",
            new { id, account, bucket, readOnly, sealedSecret = sealer.Seal(id, secret), description, created = key.CreatedAt.ToUnixTimeMilliseconds() }, transaction), cancellationToken);
        return new AccessKeyWithSecret(key, secret);
    }

    public async Task<IReadOnlyList<AccessKey>> ListAsync(string account, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.Index.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>($"SELECT {Columns} FROM access_keys WHERE account = @account ORDER BY created_ms, id", new { account });
        return rows.Select(r => r.ToKey()).ToList();
    }

    /// <summary>
    /// The key and its secret, for verifying a signature; null for unknown or revoked ids. Every authenticated S3 request
    /// asks, so a cached key is answered synchronously, with nothing allocated.
    /// </summary>
    public ValueTask<AccessKeyWithSecret?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        long revocations;
        lock (_gate)
        {
            if (_found.TryGetValue(id, out var hit))
            {
                return new(hit);
            }

            revocations = _revocations;
        }

        return new(LoadAsync(id, revocations, cancellationToken));
    }

    private async Task<AccessKeyWithSecret?> LoadAsync(string id, long revocations, CancellationToken cancellationToken)
    {
        // A miss queries SQLite: off the storage port's socket threads (BlockingWork).
        var row = await BlockingWork.RunAsync(async () =>
        {
            await using var connection = await store.Index.OpenAsync(cancellationToken);
            return await connection.QuerySingleOrDefaultAsync<KeyRow>($"SELECT {Columns} FROM access_keys WHERE id = @id", new { id });
        });
        if (row is null)
        {
            return null;
        }

        var found = new AccessKeyWithSecret(row.ToKey(), sealer.Unseal(row.Id, row.SealedSecret));
        lock (_gate)
        {
            if (_revocations == revocations)
            {
                _found[id] = found;
            }
        }

        return found;
    }

    /// <summary>Revokes one of <paramref name="account"/>'s keys; false when it has no such key.</summary>
    public async Task<bool> RevokeAsync(string account, string id, CancellationToken cancellationToken = default)
    {
        var revoked = await store.Index.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("DELETE FROM access_keys WHERE id = @id AND account = @account", new { id, account }, transaction), cancellationToken) == 1;
        Forget(k => k.Id == id && k.Account == account);
        return revoked;
    }

    /// <summary>Revokes <paramref name="account"/>'s keys scoped to <paramref name="bucket"/>, once it is deleted; returns how many.</summary>
    public async Task<int> RevokeForBucketAsync(string account, string bucket, CancellationToken cancellationToken = default)
    {
        var revoked = await store.Index.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("DELETE FROM access_keys WHERE bucket = @bucket AND account = @account", new { bucket, account }, transaction), cancellationToken);
        Forget(k => k.Bucket == bucket && k.Account == account);
        return revoked;
    }

    /// <summary>Called after the revocation is committed: lookups from now on read the store again.</summary>
    private void Forget(Func<AccessKey, bool> revoked)
    {
        lock (_gate)
        {
            _revocations++;
            foreach (var id in _found.Where(f => revoked(f.Value.Key)).Select(f => f.Key).ToList())
            {
                _found.Remove(id);
            }
        }
    }

    private sealed class KeyRow
    {
        public string Id { get; set; } = "";

        public string Account { get; set; } = "";

        public string? Bucket { get; set; }

        public bool ReadOnly { get; set; }

        public string? Description { get; set; }

        public long CreatedMs { get; set; }

        public byte[] SealedSecret { get; set; } = [];

        public AccessKey ToKey() => new(Id, Account, Bucket, ReadOnly, Description, DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs));
    }
}
