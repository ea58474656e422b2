using Amazon.S3.Model;
using Slipway.Core.Errors;
using Slipway.Storage.Addons;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.Addons;

public sealed class StorageAddonsTests
{
    [Fact]
    public async Task Provision_GivesTheAppABucketScopedKeyThatWorks_AndDeprovisionRevokesEveryKeyOfTheBucket()
    {
        await using var server = await StorageServer.StartAsync();
        var (addon, config) = await server.Addons.ProvisionAsync("app-id-1", "profile-pictures", StorageServer.Account);

        Assert.Equal(StorageAddons.ConfigVarNames.Order(), config.Keys.Order());
        Assert.Equal(addon.Bucket, config["S3_BUCKET"]);
        Assert.Equal("http://storage.test:8080", config["AWS_ENDPOINT_URL_S3"]);
        Assert.Equal($"http://storage.test:8080/{addon.Bucket}", config["STORAGE_PUBLIC_URL"]);
        Assert.StartsWith("profile-pictures-", addon.Bucket, StringComparison.Ordinal);

        using (var app = server.Client(config["AWS_ACCESS_KEY_ID"], config["AWS_SECRET_ACCESS_KEY"]))
        {
            await app.PutObjectAsync(new PutObjectRequest { BucketName = addon.Bucket, Key = "avatar.png", ContentBody = "png" });
            Assert.Equal([addon.Bucket], (await app.ListBucketsAsync()).Buckets.Select(b => b.BucketName));
        }

        await Assert.ThrowsAsync<PlatformException>(() => server.Addons.ProvisionAsync("app-id-1", "profile-pictures", StorageServer.Account));
        var userKey = await server.Keys.CreateAsync(StorageServer.Account, addon.Bucket, readOnly: true, "a backup script");

        Assert.True(await server.Addons.DeprovisionAsync(addon, BucketDisposal.DeleteWithObjects));
        Assert.Null(await server.Keys.FindAsync(addon.AccessKeyId));
        Assert.Null(await server.Keys.FindAsync(userKey.Key.Id));
        Assert.Null(await server.Store.GetBucketAsync(addon.Bucket));
        Assert.Null(await server.Addons.FindForAppAsync("app-id-1"));
    }

    [Fact]
    public async Task DeprovisionIfEmpty_KeepsABucketWithObjects_AndDeletesAnEmptyOne()
    {
        await using var server = await StorageServer.StartAsync();
        var (full, config) = await server.Addons.ProvisionAsync("app-id-1", "keeps-data", StorageServer.Account);
        using (var app = server.Client(config["AWS_ACCESS_KEY_ID"], config["AWS_SECRET_ACCESS_KEY"]))
        {
            await app.PutObjectAsync(new PutObjectRequest { BucketName = full.Bucket, Key = "avatar.png", ContentBody = "png" });
        }

        var (empty, _) = await server.Addons.ProvisionAsync("app-id-2", "no-data", StorageServer.Account);

        Assert.False(await server.Addons.DeprovisionAsync(full, BucketDisposal.DeleteIfEmpty));
        Assert.True(await server.Addons.DeprovisionAsync(empty, BucketDisposal.DeleteIfEmpty));

        Assert.Null(await server.Keys.FindAsync(full.AccessKeyId));
        Assert.NotNull(await server.Store.GetObjectAsync(full.Bucket, "avatar.png"));
        Assert.Equal(StorageServer.Account, (await server.Store.GetBucketAsync(full.Bucket))!.Owner);
        Assert.Null(await server.Store.GetBucketAsync(empty.Bucket));
        Assert.Null(await server.Addons.FindForAppAsync("app-id-1"));
    }

    [Fact]
    public async Task Secrets_AreSealedAtRest()
    {
        await using var server = await StorageServer.StartAsync();
        var key = await server.Keys.CreateAsync(StorageServer.Account, null, false, null);
        var index = await File.ReadAllBytesAsync(Path.Combine(server.Directory.Path, "objects", "index.db"));
        var wal = Path.Combine(server.Directory.Path, "objects", "index.db-wal");
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : [];
        var secret = System.Text.Encoding.UTF8.GetBytes(key.Secret);
        Assert.Equal(-1, index.AsSpan().IndexOf(secret));
        Assert.Equal(-1, walBytes.AsSpan().IndexOf(secret));
        Assert.Equal(key.Secret, (await server.Keys.FindAsync(key.Key.Id))!.Secret);
    }
}
