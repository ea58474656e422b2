using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

public sealed class ObjectTests : IAsyncLifetime
{
    private StorageServer _server = null!;
    private AmazonS3Client _s3 = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await StorageServer.StartAsync();
        _s3 = await _server.ClientAsync();
        await _s3.PutBucketAsync("photos");
    }

    public async ValueTask DisposeAsync()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PutThenGet_ReturnsBytesAndHeaders()
    {
        var put = await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "photos",
            Key = "avatars/ada.txt",
            ContentBody = "hello, world",
            ContentType = "text/plain",
            Metadata = { ["owner"] = "ada" },
            Headers = { CacheControl = "max-age=60", ContentDisposition = "inline" },
        });
        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);

        using var get = await _s3.GetObjectAsync("photos", "avatars/ada.txt");
        using var reader = new StreamReader(get.ResponseStream);
        Assert.Equal("hello, world", await reader.ReadToEndAsync());
        Assert.Equal("text/plain", get.Headers.ContentType);
        Assert.Equal("ada", get.Metadata["owner"]);
        Assert.Equal("max-age=60", get.Headers.CacheControl);
        Assert.Equal("inline", get.Headers.ContentDisposition);
        Assert.Equal(put.ETag, get.ETag);
    }

    [Fact]
    public async Task RangedGet_Returns206WithTheSlice()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "digits", ContentBody = "0123456789" });

        using var middle = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "digits", ByteRange = new ByteRange(2, 5) });
        Assert.Equal(HttpStatusCode.PartialContent, middle.HttpStatusCode);
        Assert.Equal("2345", await new StreamReader(middle.ResponseStream).ReadToEndAsync());
        Assert.Equal("bytes 2-5/10", middle.ContentRange);

        using var suffix = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "digits", ByteRange = new ByteRange("bytes=-3") });
        Assert.Equal("789", await new StreamReader(suffix.ResponseStream).ReadToEndAsync());

        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "digits", ByteRange = new ByteRange(20, 30) }));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, error.StatusCode);
        Assert.Equal("InvalidRange", error.ErrorCode);
    }

    [Fact]
    public async Task ConditionalGet_FollowsEtagAndDates()
    {
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "cond", ContentBody = "v1" });

        var notModified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "cond", EtagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var failed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "cond", EtagToMatch = "\"0000\"" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        Assert.Equal("PreconditionFailed", failed.ErrorCode);

        using var matched = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "cond", EtagToMatch = put.ETag });
        Assert.Equal(HttpStatusCode.OK, matched.HttpStatusCode);

        var unmodifiedSince = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "cond", UnmodifiedSinceDate = DateTime.UtcNow.AddDays(-1) }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, unmodifiedSince.StatusCode);

        var modifiedSince = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.GetObjectAsync(new GetObjectRequest { BucketName = "photos", Key = "cond", ModifiedSinceDate = DateTime.UtcNow.AddDays(1) }));
        Assert.Equal(HttpStatusCode.NotModified, modifiedSince.StatusCode);
    }

    [Fact]
    public async Task ConditionalPut_IfNoneMatchStar_CreatesOnlyOnce()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "once", ContentBody = "first", IfNoneMatch = "*" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "once", ContentBody = "second", IfNoneMatch = "*" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);

        using var get = await _s3.GetObjectAsync("photos", "once");
        Assert.Equal("first", await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task ContentMd5_Mismatch_IsBadDigestAndNothingStored()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "photos",
            Key = "md5",
            ContentBody = "body",
            MD5Digest = Convert.ToBase64String(MD5.HashData("other"u8)),
        }));
        Assert.Equal("BadDigest", error.ErrorCode);
        await AssertMissingAsync("md5");
    }

    [Fact]
    public async Task ChecksumHeader_Mismatch_IsBadDigest()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "photos",
            Key = "crc",
            ContentBody = "body",
            ChecksumCRC32 = "AAAAAA==",
            UseChunkEncoding = false,
        }));
        Assert.Equal("BadDigest", error.ErrorCode);
        await AssertMissingAsync("crc");
    }

    [Fact]
    public async Task HeadAndDelete_BehaveAsS3()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "doomed", ContentBody = "12345", Metadata = { ["x"] = "y" } });
        var head = await _s3.GetObjectMetadataAsync("photos", "doomed");
        Assert.Equal(5, head.ContentLength);
        Assert.Equal("y", head.Metadata["x"]);

        await _s3.DeleteObjectAsync("photos", "doomed");
        await _s3.DeleteObjectAsync("photos", "doomed"); // deleting a missing key succeeds, as in S3
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync("photos", "doomed"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await AssertMissingAsync("doomed");
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("with space/and+plus&amp=eq?q#hash")]
    [InlineData("unicode/café/😀/日本")]
    [InlineData("a//double//slash/")]
    public async Task Keys_AreOpaque(string key)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = key, ContentBody = key });
        using var get = await _s3.GetObjectAsync("photos", key);
        Assert.Equal(key, await new StreamReader(get.ResponseStream).ReadToEndAsync());
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "photos", Prefix = key });
        Assert.Equal(key, Assert.Single(listed.S3Objects).Key);
        Assert.DoesNotContain(Directory.EnumerateFiles(_server.Directory.Path, "*", SearchOption.AllDirectories), f => f.Contains("passwd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TooLongKey_IsKeyTooLongError()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = new string('k', 1025), ContentBody = "x" }));
        Assert.Equal("KeyTooLongError", error.ErrorCode);
    }

    [Fact]
    public async Task EmptyAndLargeObjects_RoundTrip()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "empty", InputStream = new MemoryStream() });
        using (var empty = await _s3.GetObjectAsync("photos", "empty"))
        {
            Assert.Equal(0, empty.ContentLength);
            Assert.Equal("\"d41d8cd98f00b204e9800998ecf8427e\"", empty.ETag);
        }

        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "large", InputStream = new MemoryStream(bytes) });
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"", put.ETag);
        using var large = await _s3.GetObjectAsync("photos", "large");
        using var copy = new MemoryStream();
        await large.ResponseStream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task CopyObject_CopiesOrReplacesMetadata()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "src", ContentBody = "copied", ContentType = "text/x-src", Metadata = { ["a"] = "1" } });

        await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "photos", SourceKey = "src", DestinationBucket = "photos", DestinationKey = "dst-copy" });
        var copied = await _s3.GetObjectMetadataAsync("photos", "dst-copy");
        Assert.Equal("text/x-src", copied.Headers.ContentType);
        Assert.Equal("1", copied.Metadata["a"]);

        await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = "photos", SourceKey = "src", DestinationBucket = "photos", DestinationKey = "dst-replace",
            MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "text/x-new", Metadata = { ["b"] = "2" },
        });
        var replaced = await _s3.GetObjectMetadataAsync("photos", "dst-replace");
        Assert.Equal("text/x-new", replaced.Headers.ContentType);
        Assert.Equal("2", replaced.Metadata["b"]);
        Assert.DoesNotContain("x-amz-meta-a", replaced.Metadata.Keys);
        using var body = await _s3.GetObjectAsync("photos", "dst-replace");
        Assert.Equal("copied", await new StreamReader(body.ResponseStream).ReadToEndAsync());

        var self = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "photos", SourceKey = "src", DestinationBucket = "photos", DestinationKey = "src" }));
        Assert.Equal("InvalidRequest", self.ErrorCode);
    }

    [Fact]
    public async Task DeleteObjects_DeletesABatch()
    {
        foreach (var key in new[] { "batch/1", "batch/2", "batch/3" })
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = key, ContentBody = key });
        }

        var result = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = "photos",
            Objects = [new KeyVersion { Key = "batch/1" }, new KeyVersion { Key = "batch/3" }, new KeyVersion { Key = "batch/never" }],
        });
        Assert.Equal(["batch/1", "batch/3", "batch/never"], result.DeletedObjects.Select(d => d.Key).Order());
        var left = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "photos", Prefix = "batch/" });
        Assert.Equal("batch/2", Assert.Single(left.S3Objects).Key);
    }

    [Fact]
    public async Task Overwrite_LeavesOnlyTheLastVersionsBytes()
    {
        for (var i = 0; i < 3; i++)
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "photos", Key = "same", ContentBody = $"version {i}" });
        }

        using var get = await _s3.GetObjectAsync("photos", "same");
        Assert.Equal("version 2", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        await StoredBodies.AssertAsync(Path.Combine(_server.Directory.Path, "objects"), files: 0, inline: 1);
    }

    private async Task AssertMissingAsync(string key)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync("photos", key));
        Assert.Equal("NoSuchKey", error.ErrorCode);
    }
}
