using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;
using Slipway.Storage.Engine;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

/// <summary>Buckets belong to accounts; keys are account-wide or bucket-scoped, optionally read-only; bad credentials get S3's errors.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private StorageServer _server = null!;
    private AmazonS3Client _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await StorageServer.StartAsync();
        _owner = await _server.ClientAsync();
        await _owner.PutBucketAsync("shared");
        await _owner.PutObjectAsync(new PutObjectRequest { BucketName = "shared", Key = "k", ContentBody = "v" });
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Buckets_CreateHeadListLocationVersioningDelete()
    {
        await _owner.PutBucketAsync("lifecycle-bucket");
        await _owner.PutBucketAsync("lifecycle-bucket"); // creating a bucket you own succeeds, as in us-east-1
        Assert.True(await AmazonS3Util.DoesS3BucketExistV2Async(_owner, "lifecycle-bucket"));

        var list = await _owner.ListBucketsAsync();
        Assert.Equal(["lifecycle-bucket", "shared"], list.Buckets.Select(b => b.BucketName));

        var location = await _owner.GetBucketLocationAsync("lifecycle-bucket");
        Assert.True(location.Location is null || location.Location == S3Region.USEast1 || string.IsNullOrEmpty(location.Location.Value));
        var versioning = await _owner.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = "lifecycle-bucket" });
        Assert.Equal(VersionStatus.Off, versioning.VersioningConfig.Status ?? VersionStatus.Off);

        await _owner.DeleteBucketAsync("lifecycle-bucket");
        Assert.False(await AmazonS3Util.DoesS3BucketExistV2Async(_owner, "lifecycle-bucket"));
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _owner.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "lifecycle-bucket" }));
        Assert.Equal("NoSuchBucket", missing.ErrorCode);
    }

    [Fact]
    public async Task DeleteBucket_NotEmpty_IsBucketNotEmpty()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _owner.DeleteBucketAsync("shared"));
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal("BucketNotEmpty", error.ErrorCode);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("ab")]
    [InlineData("under_score")]
    [InlineData("192.168.1.1")]
    [InlineData("-dash")]
    public async Task CreateBucket_InvalidName_IsInvalidBucketName(string name)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _owner.PutBucketAsync(name));
        Assert.Equal("InvalidBucketName", error.ErrorCode);
    }

    [Fact]
    public async Task BucketNames_AreGlobal_AndOtherAccountsAreDenied()
    {
        using var other = await _server.ClientAsync(account: "account-2");
        var taken = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.PutBucketAsync("shared"));
        Assert.Equal("BucketAlreadyExists", taken.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);

        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetObjectAsync("shared", "k"));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        Assert.Empty((await other.ListBucketsAsync()).Buckets ?? []);
    }

    [Fact]
    public async Task BucketScopedKey_ReachesOnlyItsBucket()
    {
        await _owner.PutBucketAsync("elsewhere");
        using var scoped = await _server.ClientAsync(bucket: "shared");
        await scoped.PutObjectAsync(new PutObjectRequest { BucketName = "shared", Key = "from-app", ContentBody = "x" });
        Assert.Equal(["shared"], (await scoped.ListBucketsAsync()).Buckets.Select(b => b.BucketName));

        var other = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => scoped.PutObjectAsync(new PutObjectRequest { BucketName = "elsewhere", Key = "x", ContentBody = "x" }));
        Assert.Equal("AccessDenied", other.ErrorCode);
        var create = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => scoped.PutBucketAsync("new-bucket-by-app"));
        Assert.Equal("AccessDenied", create.ErrorCode);
        var delete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => scoped.DeleteBucketAsync("elsewhere"));
        Assert.Equal("AccessDenied", delete.ErrorCode);
    }

    [Fact]
    public async Task ReadOnlyKey_ReadsButCannotWrite()
    {
        using var reader = await _server.ClientAsync(bucket: "shared", readOnly: true);
        using var get = await reader.GetObjectAsync("shared", "k");
        Assert.Equal("v", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => reader.PutObjectAsync(new PutObjectRequest { BucketName = "shared", Key = "k", ContentBody = "w" }));
        Assert.Equal("AccessDenied", put.ErrorCode);
        var delete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => reader.DeleteObjectAsync("shared", "k"));
        Assert.Equal("AccessDenied", delete.ErrorCode);
    }

    [Fact]
    public async Task PlatformBuckets_AreUnreachableWithAccountKeys()
    {
        await _server.Store.PutAsync(PlatformBuckets.Slugs, "slug.tgz", new MemoryStream([1, 2, 3]));
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _owner.GetObjectAsync(PlatformBuckets.Slugs, "slug.tgz"));
        Assert.Equal("AccessDenied", error.ErrorCode);
    }

    [Fact]
    public async Task WrongSecret_IsSignatureDoesNotMatch()
    {
        var key = await _server.Keys.CreateAsync(StorageServer.Account, null, false, null);
        using var wrong = _server.Client(key.Key.Id, key.Secret + "x");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrong.ListBucketsAsync());
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task UnknownOrRevokedKey_IsInvalidAccessKeyId()
    {
        var key = await _server.Keys.CreateAsync(StorageServer.Account, null, false, null);
        using var client = _server.Client(key.Key.Id, key.Secret);
        await client.ListBucketsAsync();
        Assert.True(await _server.Keys.RevokeAsync(StorageServer.Account, key.Key.Id));
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.ListBucketsAsync());
        Assert.Equal("InvalidAccessKeyId", error.ErrorCode);
    }

    [Fact]
    public async Task PresignedUrls_GetAndPut_ExpireAndRejectTampering()
    {
        using var http = new HttpClient();
        var putUrl = await _owner.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "shared", Key = "presigned.txt", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        using (var put = await http.PutAsync(putUrl, new StringContent("via presigned put")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var getUrl = await _owner.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "shared", Key = "presigned.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        Assert.Equal("via presigned put", await http.GetStringAsync(getUrl));

        using (var tampered = await http.GetAsync(getUrl.Replace("presigned.txt", "k", StringComparison.Ordinal)))
        {
            Assert.Equal("SignatureDoesNotMatch", await RawSigningTests.ErrorCodeAsync(tampered, HttpStatusCode.Forbidden));
        }

        // The store's clock moves past the URL's expiry (the SDK signed with the real clock).
        _server.Time.Advance(TimeSpan.FromMinutes(6));
        using var expired = await http.GetAsync(getUrl);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        var body = await expired.Content.ReadAsStringAsync();
        Assert.Contains("<Code>AccessDenied</Code>", body, StringComparison.Ordinal);
        Assert.Contains("<Message>Request has expired</Message>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PresignedUrl_FetchedAgain_StillAnswersRevocationAndHostChanges()
    {
        var key = await _server.Keys.CreateAsync(StorageServer.Account, null, false, "presigned repeat");
        using var client = _server.Client(key.Key.Id, key.Secret);
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "shared", Key = "k", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        Assert.Equal("v", await http.GetStringAsync(url));
        Assert.Equal("v", await http.GetStringAsync(url)); // the second verification admits it to the verified-URL cache
        Assert.Equal("v", await http.GetStringAsync(url)); // the third fetch is answered from that cache

        // The signature covers the Host header: the same URL sent to another of the store's names is not the URL verified.
        using (var otherHost = new HttpRequestMessage(HttpMethod.Get, url))
        {
            otherHost.Headers.Host = "localhost:" + new Uri(url).Port;
            using var response = await http.SendAsync(otherHost);
            Assert.Equal("SignatureDoesNotMatch", await RawSigningTests.ErrorCodeAsync(response, HttpStatusCode.Forbidden));
        }

        Assert.True(await _server.Keys.RevokeAsync(StorageServer.Account, key.Key.Id));
        using var revoked = await http.GetAsync(url);
        Assert.Equal("InvalidAccessKeyId", await RawSigningTests.ErrorCodeAsync(revoked, HttpStatusCode.Forbidden));
    }
}
