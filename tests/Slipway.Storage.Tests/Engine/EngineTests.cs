using System.Buffers.Binary;
using Slipway.Storage.Engine;
using Slipway.Storage.S3;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.Engine;

public sealed class EngineTests
{
    [Theory]
    [InlineData(ChecksumAlgorithm.Crc32, 0xCBF43926UL, 4)]
    [InlineData(ChecksumAlgorithm.Crc32C, 0xE3069283UL, 4)]
    [InlineData(ChecksumAlgorithm.Crc64Nvme, 0xAE8B14860A799888UL, 8)]
    public void Checksums_MatchTheStandardCheckValues(ChecksumAlgorithm algorithm, ulong check, int width)
    {
        var checksum = Checksums.Create(algorithm);
        checksum.Append("1234"u8);
        checksum.Append("56789"u8);
        var bytes = Convert.FromBase64String(checksum.FinishBase64());
        Assert.Equal(width, bytes.Length);
        Assert.Equal(check, width == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    [Fact]
    public async Task PlatformInterface_PutOpenHeadDelete_StillWorks()
    {
        using var directory = new TempDirectory();
        var store = Platform(new FileObjectStore(directory.Path));
        var stored = await store.PutAsync(PlatformBuckets.Slugs, "slug-1.tgz", new MemoryStream([1, 2, 3]), "application/gzip");
        Assert.Equal(3, stored.Size);
        Assert.Equal("application/gzip", (await store.HeadAsync(PlatformBuckets.Slugs, "slug-1.tgz"))!.ContentType);
        await using (var stream = await store.OpenReadAsync(PlatformBuckets.Slugs, "slug-1.tgz"))
        {
            Assert.Equal(1, stream!.ReadByte());
        }

        Assert.True(await store.DeleteAsync(PlatformBuckets.Slugs, "slug-1.tgz"));
        Assert.Null(await store.OpenReadAsync(PlatformBuckets.Slugs, "slug-1.tgz"));
        Assert.False(await store.DeleteAsync(PlatformBuckets.Slugs, "slug-1.tgz"));
    }

    [Fact]
    public async Task Sweep_RemovesTempAndUnreferencedFiles_KeepsCommittedOnes()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.PutAsync("bucket-a", "kept", new MemoryStream(new byte[InlineBodies.MaxSize + 1])); // a data file
        var data = Path.Combine(directory.Path, "data");
        await File.WriteAllTextAsync(Path.Combine(data, "ab", "abandoned-write.tmp"), "partial");
        await File.WriteAllTextAsync(Path.Combine(data, "cd", "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"), "renamed but never committed");

        Assert.Equal(2, await store.SweepAsync());
        Assert.Single(Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories));
        Assert.NotNull(await store.GetObjectAsync("bucket-a", "kept"));
    }

    [Fact]
    public async Task FailedVerification_CommitsNothingAndLeavesNoFile()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        await Assert.ThrowsAsync<S3Exception>(() => store.WriteObjectAsync(
            new ObjectWrite { Bucket = "b", Key = "k", Verify = _ => throw S3Exception.BadDigest() }, new MemoryStream([1, 2, 3])));
        Assert.Null(await store.GetObjectAsync("b", "k"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(directory.Path, "data"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CompleteUpload_PartsOutOfOrder_IsInvalidPartOrder()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        var upload = await store.CreateUploadAsync("b", "k", new ObjectHeaders());
        var one = await store.PutPartAsync(upload, 1, new MemoryStream(new byte[10]), [], null);
        var two = await store.PutPartAsync(upload, 2, new MemoryStream(new byte[10]), [], null);
        var error = await Assert.ThrowsAsync<S3Exception>(() => store.CompleteUploadAsync(upload, [(2, two.ETag), (1, one.ETag)], null));
        Assert.Equal("InvalidPartOrder", error.Code);
    }

    [Fact]
    public async Task CompleteUpload_LargeParts_ConcatenatesThemIntoOneFileAndDropsThePartFiles()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        var upload = await store.CreateUploadAsync("b", "big", new ObjectHeaders { ContentType = "video/mp4" });
        var sizes = new[] { FileObjectStore.MinimumPartSize, FileObjectStore.MinimumPartSize + 4093, 1_000_003 };
        var contents = sizes.Select((size, i) => Enumerable.Range(0, (int)size).Select(b => (byte)((b * 31) + i)).ToArray()).ToList();
        var parts = new List<(int, string)>();
        for (var i = 0; i < contents.Count; i++)
        {
            parts.Add((i + 1, (await store.PutPartAsync(upload, i + 1, new MemoryStream(contents[i]), [], null)).ETag));
        }

        var record = await store.CompleteUploadAsync(upload, parts, null);

        Assert.Equal(sizes.Sum(), record.Size);
        Assert.EndsWith("-3", record.ETag, StringComparison.Ordinal);
        Assert.Equal("video/mp4", record.Headers.ContentType);
        var (_, stream) = (await store.OpenObjectAsync("b", "big"))!.Value;
        await using (stream)
        {
            using var read = new MemoryStream();
            await stream.CopyToAsync(read);
            Assert.Equal(contents.SelectMany(c => c).ToArray(), read.ToArray());
        }

        Assert.Empty(await store.ListPartsAsync(upload.Id));
        await DataFileCount.WaitForAsync(Path.Combine(directory.Path, "data"), 1);
    }

    [Fact]
    public async Task DeleteBucketWithObjects_RemovesEverything()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "k" }, new MemoryStream([1]));
        Assert.True(await store.DeleteBucketAsync("b", withObjects: true));
        Assert.Null(await store.GetBucketAsync("b"));
        await DataFileCount.WaitForAsync(Path.Combine(directory.Path, "data"), 0);
    }

    /// <summary>The engine seen through the interface slugs, sources and build output use.</summary>
#pragma warning disable CA1859 // the point is to call through the interface
    private static IObjectStore Platform(FileObjectStore store) => store;
#pragma warning restore CA1859
}
