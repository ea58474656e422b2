using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

/// <summary>
/// The store served as slipwayd serves it, on the socket event threads (StorageTransport): the cached fast path, the
/// paths that move their blocking steps to the pool, and the requests that move to the pool whole all still answer.
/// </summary>
public sealed class SocketThreadTests : IAsyncLifetime
{
    private StorageServer _server = null!;
    private AmazonS3Client _s3 = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await StorageServer.StartAsync(socketThreads: true);
        _s3 = await _server.ClientAsync();
        await _s3.PutBucketAsync("photos");
    }

    public async ValueTask DisposeAsync()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(4096)]
    [InlineData((3 << 20) + 7)]
    public async Task PutThenGetTwice_ReturnsTheBytes(int size)
    {
        var body = RandomNumberGenerator.GetBytes(size);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = $"o-{size}", InputStream = new MemoryStream(body) });

        // The first GET loads the row and bytes (on the pool); the second is answered from the caches on the socket thread.
        for (var i = 0; i < 2; i++)
        {
            using var got = await _s3.GetObjectAsync("photos", $"o-{size}");
            using var copy = new MemoryStream();
            await got.ResponseStream.CopyToAsync(copy);
            Assert.Equal(body, copy.ToArray());
            Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", got.ETag);
        }
    }

    [Fact]
    public async Task ListCopyAndDelete_WhichRunOnThePool_Answer()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "a.txt", ContentBody = "a" });
        await _s3.CopyObjectAsync("photos", "a.txt", "photos", "b.txt");

        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "photos" });
        Assert.Equal(["a.txt", "b.txt"], listed.S3Objects.Select(o => o.Key));

        var deleted = await _s3.DeleteObjectAsync("photos", "a.txt");
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync("photos", "a.txt"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }

    [Fact]
    public async Task OverwrittenSmallObject_ServesTheNewVersion()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "v", ContentBody = "one" });
        using (var first = await _s3.GetObjectAsync("photos", "v"))
        {
            Assert.Equal("one", await new StreamReader(first.ResponseStream).ReadToEndAsync());
        }

        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "v", ContentBody = "two" });

        using var second = await _s3.GetObjectAsync("photos", "v");
        Assert.Equal("two", await new StreamReader(second.ResponseStream).ReadToEndAsync());
    }
}
