using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Slipway.Storage.Engine;
using Slipway.Storage.S3;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.Engine;

/// <summary>Objects up to <see cref="InlineBodies.MaxSize"/> live in the index, larger ones in data files: reads, overwrites and deletes are the same for both.</summary>
public sealed class InlineBodiesTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(4096, 0)]
    [InlineData(InlineBodies.MaxSize, 0)]
    [InlineData(InlineBodies.MaxSize + 1, 1)]
    [InlineData(3 * 1024 * 1024 + 7, 1)]
    public async Task Object_UpToTheLimitIsInline_LargerIsAFile_AndBothReadBackWhole(int size, int files)
    {
        using var directory = new TempDirectory();
        var store = await StoreAsync(directory);
        var bytes = Bytes(size, seed: 3);

        // Reads of at most 1,000 bytes: the body arrives in pieces, as from a socket.
        var record = await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "k" }, new TrickleStream(bytes, 1000));

        Assert.Equal(files == 0, record.Inline);
        Assert.Equal(size, record.Size);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), record.ETag);
        Assert.Equal(bytes, await ReadAsync(store, "k"));
        Assert.Equal(bytes, await ReadAsync(new FileObjectStore(directory.Path), "k")); // from disk, not from a cache
        await StoredBodies.AssertAsync(directory.Path, files, inline: 1 - files);
    }

    [Fact]
    public async Task OverwriteBetweenInlineAndFile_LeavesOnlyTheCurrentVersionsBytes()
    {
        using var directory = new TempDirectory();
        var store = await StoreAsync(directory);
        foreach (var (size, seed) in new[] { (100, 1), (InlineBodies.MaxSize + 100, 2), (200, 3), (300, 4), (2 * InlineBodies.MaxSize, 5), (InlineBodies.MaxSize * 3, 6) })
        {
            var bytes = Bytes(size, seed);
            await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "k" }, new MemoryStream(bytes));
            Assert.Equal(bytes, await ReadAsync(store, "k"));
            var isFile = size > InlineBodies.MaxSize ? 1 : 0;
            await StoredBodies.AssertAsync(directory.Path, files: isFile, inline: 1 - isFile);
        }

        await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "k" }, new MemoryStream(Bytes(10, 7)));
        Assert.Equal(Bytes(10, 7), await ReadAsync(new FileObjectStore(directory.Path), "k"));
        await StoredBodies.AssertAsync(directory.Path, files: 0, inline: 1);
    }

    [Fact]
    public async Task DeleteObjectAndDeleteBucketWithObjects_RemoveInlineBodies()
    {
        using var directory = new TempDirectory();
        var store = await StoreAsync(directory);
        for (var i = 0; i < 3; i++)
        {
            await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = $"k{i}" }, new MemoryStream(Bytes(50, i)));
        }

        await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "big" }, new MemoryStream(Bytes(InlineBodies.MaxSize + 1, 9)));
        await StoredBodies.AssertAsync(directory.Path, files: 1, inline: 3);

        Assert.NotNull(await store.DeleteObjectAsync("b", "k0"));
        Assert.Null(await store.OpenObjectAsync("b", "k0"));
        await StoredBodies.AssertAsync(directory.Path, files: 1, inline: 2);

        Assert.True(await store.DeleteBucketAsync("b", withObjects: true));
        await StoredBodies.AssertAsync(directory.Path, files: 0, inline: 0);
    }

    [Fact]
    public async Task RejectedInlineWrite_StoresNothing_AndKeepsTheCurrentVersion()
    {
        using var directory = new TempDirectory();
        var store = await StoreAsync(directory);
        await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "k" }, new MemoryStream(Bytes(10, 1)));

        await Assert.ThrowsAsync<S3Exception>(() => store.WriteObjectAsync(
            new ObjectWrite { Bucket = "b", Key = "k", Precondition = _ => throw S3Exception.PreconditionFailed("If-Match") }, new MemoryStream(Bytes(10, 2))));
        await Assert.ThrowsAsync<S3Exception>(() => store.WriteObjectAsync(
            new ObjectWrite { Bucket = "b", Key = "k", Verify = _ => throw S3Exception.BadDigest() }, new MemoryStream(Bytes(10, 3))));

        Assert.Equal(Bytes(10, 1), await ReadAsync(store, "k"));
        await StoredBodies.AssertAsync(directory.Path, files: 0, inline: 1);
    }

    [Fact]
    public async Task InlineWrite_ComputesAndKeepsTheRequestedChecksums()
    {
        using var directory = new TempDirectory();
        var store = await StoreAsync(directory);
        WrittenContent? verified = null;
        var record = await store.WriteObjectAsync(
            new ObjectWrite { Bucket = "b", Key = "k", StoredChecksums = [ChecksumAlgorithm.Sha256], Verify = c => verified = c },
            new MemoryStream("123456789"u8.ToArray()));

        Assert.True(record.Inline);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData("123456789"u8)), record.Checksums[ChecksumAlgorithm.Sha256]);
        Assert.Equal(9, verified!.Size);
        Assert.Equal(record.Checksums, (await new FileObjectStore(directory.Path).GetObjectAsync("b", "k"))!.Checksums);
    }

    [Fact]
    public async Task IndexOfTheFirstVersion_IsMigrated_AndItsObjectsStillRead()
    {
        using var directory = new TempDirectory();
        var store = await StoreAsync(directory);
        var bytes = Bytes(InlineBodies.MaxSize + 1, 4);
        await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "old" }, new MemoryStream(bytes));
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory.Path, "index.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE objects DROP COLUMN inline; DROP TABLE inline_bodies; PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        var migrated = new FileObjectStore(directory.Path);
        Assert.Equal(bytes, await ReadAsync(migrated, "old"));
        await migrated.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "new" }, new MemoryStream(Bytes(5, 5)));
        Assert.Equal(Bytes(5, 5), await ReadAsync(migrated, "new"));
        await StoredBodies.AssertAsync(directory.Path, files: 1, inline: 1);
    }

    private static async Task<FileObjectStore> StoreAsync(TempDirectory directory)
    {
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        return store;
    }

    private static byte[] Bytes(int size, int seed) => [.. Enumerable.Range(0, size).Select(i => (byte)((i * 13) + seed))];

    private static async Task<byte[]> ReadAsync(FileObjectStore store, string key)
    {
        var (_, stream) = (await store.OpenObjectAsync("b", key))!.Value;
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    /// <summary>A body that hands out at most <paramref name="chunk"/> bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
            base.ReadAsync(destination[..Math.Min(destination.Length, chunk)], cancellationToken);
    }
}
