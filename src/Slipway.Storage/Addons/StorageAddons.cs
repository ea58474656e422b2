using System.Security.Cryptography;
using Dapper;
using Slipway.Core.Errors;
using Slipway.Storage.Access;
using Slipway.Storage.Engine;
using Slipway.Storage.Hosting;
using Slipway.Storage.S3;

namespace Slipway.Storage.Addons;

/// <summary>An app's storage add-on: its bucket and the bucket-scoped key handed to the app in config vars.</summary>
public sealed record StorageAddon(string Id, string Name, string AppId, string Account, string Bucket, string AccessKeyId, DateTimeOffset CreatedAt);

/// <summary>
/// Provisions the <c>storage</c> add-on: a bucket owned by the app's account, a read-write key scoped to it, and the
/// config vars standard SDKs read with no code change. Dynos reach the store through the router (<c>storage.&lt;domain&gt;</c>).
/// </summary>
public sealed class StorageAddons(FileObjectStore store, AccessKeyStore keys, StorageOptions options, TimeProvider time)
{
    public const string Plan = "storage";

    /// <summary>Every config var the add-on sets, for removal at destruction.</summary>
    public static readonly IReadOnlyList<string> ConfigVarNames =
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "S3_BUCKET", "STORAGE_PUBLIC_URL"];

    private const string Columns = "id, name, app_id AS AppId, account, bucket, access_key_id AS AccessKeyId, created_ms AS CreatedMs";

    public async Task<(StorageAddon Addon, IReadOnlyDictionary<string, string> Config)> ProvisionAsync(
        string appId, string appName, string account, CancellationToken cancellationToken = default)
    {
        if (await FindForAppAsync(appId, cancellationToken) is { } existing)
        {
            throw PlatformException.Invalid($"{appName} already has the storage add-on {existing.Name} (bucket {existing.Bucket}). Destroy it first to make a new one.");
        }

        string bucket;
        string suffix;
        while (true)
        {
            suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
            bucket = $"{appName[..Math.Min(appName.Length, 50)].TrimEnd('-')}-{suffix}";
            if ((await store.CreateBucketAsync(bucket, account, cancellationToken: cancellationToken)).Created)
            {
                break;
            }
        }

        var key = await keys.CreateAsync(account, bucket, readOnly: false, $"storage add-on of {appName}", cancellationToken);
        var addon = new StorageAddon(Guid.NewGuid().ToString(), $"storage-{suffix}", appId, account, bucket, key.Key.Id,
            DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()));
        await store.Index.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO addons (id, app_id, name, account, bucket, access_key_id, created_ms) VALUES (@Id, @AppId, @Name, @Account, @Bucket, @AccessKeyId, @created)",
            new { addon.Id, addon.AppId, addon.Name, addon.Account, addon.Bucket, addon.AccessKeyId, created = addon.CreatedAt.ToUnixTimeMilliseconds() }, transaction), cancellationToken);
        return (addon, ConfigVars(bucket, key));
    }

    public IReadOnlyDictionary<string, string> ConfigVars(string bucket, AccessKeyWithSecret key)
    {
        var endpoint = options.AppEndpoint.TrimEnd('/');
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = key.Key.Id,
            ["AWS_SECRET_ACCESS_KEY"] = key.Secret,
            ["AWS_REGION"] = options.Region,
            ["AWS_ENDPOINT_URL_S3"] = endpoint,
            ["AWS_ENDPOINT_URL"] = endpoint,
            ["S3_BUCKET"] = bucket,
            ["STORAGE_PUBLIC_URL"] = $"{endpoint}/{bucket}",
        };
    }

    public async Task<StorageAddon?> FindForAppAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.Index.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<AddonRow>($"SELECT {Columns} FROM addons WHERE app_id = @appId", new { appId }))?.ToAddon();
    }

    /// <summary>
    /// Revokes the app's key and forgets the add-on, then disposes of the bucket as <paramref name="bucket"/> says (with
    /// every other key scoped to it, when it goes). Returns whether the bucket is gone.
    /// </summary>
    public async Task<bool> DeprovisionAsync(StorageAddon addon, BucketDisposal bucket, CancellationToken cancellationToken = default)
    {
        await keys.RevokeAsync(addon.Account, addon.AccessKeyId, cancellationToken);
        await store.Index.WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("DELETE FROM addons WHERE id = @Id", new { addon.Id }, transaction), cancellationToken);
        bool deleted;
        try
        {
            deleted = bucket != BucketDisposal.Keep
                && await store.DeleteBucketAsync(addon.Bucket, withObjects: bucket == BucketDisposal.DeleteWithObjects, cancellationToken);
        }
        catch (S3Exception e) when (e.Code == "BucketNotEmpty")
        {
            return false;
        }

        // Keys the user made for the bucket (storage:keys:create --bucket) would otherwise come back to life with a new bucket of that name.
        if (deleted)
        {
            await keys.RevokeForBucketAsync(addon.Account, addon.Bucket, cancellationToken);
        }

        return deleted;
    }

    private sealed class AddonRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string AppId { get; set; } = "";

        public string Account { get; set; } = "";

        public string Bucket { get; set; } = "";

        public string AccessKeyId { get; set; } = "";

        public long CreatedMs { get; set; }

        public StorageAddon ToAddon() => new(Id, Name, AppId, Account, Bucket, AccessKeyId, DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs));
    }
}
