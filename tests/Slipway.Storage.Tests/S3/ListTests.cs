using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

public sealed class ListTests : IAsyncLifetime
{
    // UTF-16 order would put "\uE000" after "😀" (a surrogate pair, 0xD83D); S3's UTF-8 byte order puts it before.
    private static readonly string[] Keys =
        ["a/1", "a/2", "a/sub/3", "b/1", "c", "d/1", "e", "\uE000", "😀", "é"];

    private StorageServer _server = null!;
    private AmazonS3Client _s3 = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await StorageServer.StartAsync();
        _s3 = await _server.ClientAsync();
        await _s3.PutBucketAsync("listing");
        foreach (var key in Keys)
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "listing", Key = key, ContentBody = key });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ListV2_IsInUtf8ByteOrder()
    {
        var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "listing" });
        Assert.Equal(["a/1", "a/2", "a/sub/3", "b/1", "c", "d/1", "e", "é", "\uE000", "😀"], page.S3Objects.Select(o => o.Key));
        Assert.Equal(Keys.Length, page.KeyCount);
        Assert.False(page.IsTruncated);
    }

    [Fact]
    public async Task ListV2_Delimiter_RollsUpCommonPrefixes()
    {
        var root = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "listing", Delimiter = "/" });
        Assert.Equal(["a/", "b/", "d/"], root.CommonPrefixes);
        Assert.Equal(["c", "e", "é", "\uE000", "😀"], root.S3Objects.Select(o => o.Key));

        var a = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "listing", Prefix = "a/", Delimiter = "/" });
        Assert.Equal(["a/sub/"], a.CommonPrefixes);
        Assert.Equal(["a/1", "a/2"], a.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task ListV2_Paginates_WithContinuationTokens()
    {
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "listing", Delimiter = "/", MaxKeys = 2, ContinuationToken = token });
            Assert.True(page.KeyCount <= 2);
            seen.AddRange(page.CommonPrefixes ?? []);
            seen.AddRange(page.S3Objects?.Select(o => o.Key) ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["a/", "b/", "c", "d/", "e", "é", "\uE000", "😀"], seen.Order(StringComparer.Ordinal).OrderBy(k => k, Utf8Order.Instance));
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task ListV2_StartAfterAndFetchOwner()
    {
        var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "listing", StartAfter = "d/1", FetchOwner = true });
        Assert.Equal(["e", "é", "\uE000", "😀"], page.S3Objects.Select(o => o.Key));
        Assert.All(page.S3Objects, o => Assert.NotNull(o.Owner?.Id));
    }

    [Fact]
    public async Task ListV2_UrlEncoding_EncodesKeys()
    {
        var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "listing", Prefix = "é", Encoding = EncodingType.Url });
        Assert.Equal("%C3%A9", Assert.Single(page.S3Objects).Key);
        Assert.Equal(EncodingType.Url, page.Encoding);
    }

    [Fact]
    public async Task ListV1_PaginatesWithMarkers()
    {
        var first = await _s3.ListObjectsAsync(new ListObjectsRequest { BucketName = "listing", MaxKeys = 3 });
        Assert.True(first.IsTruncated);
        Assert.Equal(["a/1", "a/2", "a/sub/3"], first.S3Objects.Select(o => o.Key));
        var second = await _s3.ListObjectsAsync(new ListObjectsRequest { BucketName = "listing", Marker = first.S3Objects[^1].Key, MaxKeys = 100 });
        Assert.False(second.IsTruncated);
        Assert.Equal(7, second.S3Objects.Count);

        var delimited = await _s3.ListObjectsAsync(new ListObjectsRequest { BucketName = "listing", Delimiter = "/", MaxKeys = 1 });
        Assert.Equal("a/", delimited.NextMarker);
        Assert.Equal(["a/"], delimited.CommonPrefixes);
    }

    [Fact]
    public async Task ListObjectVersions_OnUnversionedBucket_ListsCurrentObjectsWithNullVersion()
    {
        var versions = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = "listing", Prefix = "a/" });
        Assert.Equal(["a/1", "a/2", "a/sub/3"], versions.Versions.Select(v => v.Key));
        Assert.All(versions.Versions, v => Assert.Equal("null", v.VersionId));
        Assert.All(versions.Versions, v => Assert.True(v.IsLatest));
    }

    /// <summary>Orders strings by their UTF-8 bytes, as S3 lists keys.</summary>
    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            ((ReadOnlySpan<byte>)System.Text.Encoding.UTF8.GetBytes(x ?? "")).SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y ?? ""));
    }
}
