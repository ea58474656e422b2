using Slipway.Storage.Engine;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.Engine;

/// <summary>Buckets, object rows and small bodies are served from memory: every change must show on the next read.</summary>
public sealed class FileObjectStoreCachingTests
{
    [Fact]
    public async Task Bucket_ChangedOrDeleted_IsSeenAtOnce()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        Assert.False((await store.GetBucketAsync("b"))!.PublicRead);

        await store.SetBucketPublicAsync("b", true);
        Assert.True((await store.GetBucketAsync("b"))!.PublicRead);

        await store.SetBucketCorsAsync("b", "<CORSConfiguration/>");
        Assert.Equal("<CORSConfiguration/>", (await store.GetBucketAsync("b"))!.Cors);

        Assert.True(await store.DeleteBucketAsync("b"));
        Assert.Null(await store.GetBucketAsync("b"));

        await store.CreateBucketAsync("b", "account-2");
        Assert.Equal("account-2", (await store.GetBucketAsync("b"))!.Owner);
    }

    [Fact]
    public async Task Object_OverwrittenUpdatedOrDeleted_IsSeenAtOnce_BytesIncluded()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        await Put(store, "k", [1, 2, 3]);
        Assert.Equal([1, 2, 3], await Read(store, "k"));

        await Put(store, "k", [4, 5]);
        Assert.Equal([4, 5], await Read(store, "k"));

        Assert.True(await store.UpdateHeadersAsync("b", "k", new ObjectHeaders { PublicRead = true }));
        Assert.True((await store.GetObjectAsync("b", "k"))!.Headers.PublicRead);

        await store.DeleteObjectAsync("b", "k");
        Assert.Null(await store.GetObjectAsync("b", "k"));
        Assert.Null(await store.OpenObjectAsync("b", "k"));
    }

    [Fact]
    public async Task BucketDeletedWithObjects_AndCreatedAgain_HasNoneOfTheOldObjects()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        await Put(store, "k", [1]);
        Assert.NotNull(await store.GetObjectAsync("b", "k"));

        Assert.True(await store.DeleteBucketAsync("b", withObjects: true));
        await store.CreateBucketAsync("b", "account-2");
        Assert.Null(await store.GetObjectAsync("b", "k"));
    }

    [Fact]
    public async Task ConcurrentOverwritesAndReads_ReadersAlwaysGetAWholeVersion_AndTheLastWriteWins()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        await Put(store, "k", Version(0));

        var writers = Enumerable.Range(1, 8).Select(v => Put(store, "k", Version(v)));
        var readers = Enumerable.Range(0, 16).Select(async _ =>
        {
            for (var i = 0; i < 10; i++)
            {
                var bytes = await Read(store, "k");
                Assert.Equal(Version(bytes[0]), bytes);
            }
        });
        await Task.WhenAll(writers.Concat(readers));

        var last = await Read(store, "k");
        Assert.Equal(last, await Read(new FileObjectStore(directory.Path), "k")); // what the cache says is what is on disk
        await StoredBodies.AssertAsync(directory.Path, files: 0, inline: 1);
    }

    private static byte[] Version(int v) => Enumerable.Repeat((byte)v, 4096).ToArray();

    private static Task<ObjectRecord> Put(FileObjectStore store, string key, byte[] bytes) =>
        store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = key }, new MemoryStream(bytes));

    private static async Task<byte[]> Read(FileObjectStore store, string key)
    {
        var (_, stream) = (await store.OpenObjectAsync("b", key))!.Value;
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }
}
