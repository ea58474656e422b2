using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

/// <summary>What browsers rely on: public-read objects with caching headers, CORS; and prompt answers for what is not implemented.</summary>
public sealed class PublicAndCorsTests : IAsyncLifetime
{
    private StorageServer _server = null!;
    private AmazonS3Client _s3 = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await StorageServer.StartAsync();
        _s3 = await _server.ClientAsync();
        _http = new HttpClient { BaseAddress = new Uri(_server.Url) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _s3.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PercentEncodedPath_IsDecodedAsUtf8_AndInvalidUtf8IsInvalidUri()
    {
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = "assets", CannedACL = S3CannedACL.PublicRead });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "assets", Key = "café ü/日本.txt", ContentBody = "unicode" });

        using var found = await _http.GetAsync("/assets/caf%C3%A9%20%C3%BC/%E6%97%A5%E6%9C%AC.txt");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("unicode", await found.Content.ReadAsStringAsync());

        using var invalid = await _http.GetAsync("/assets/%FF%FE.txt");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("<Code>InvalidURI</Code>", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicReadBucket_ServesAnonymousGetsWithCachingHeaders()
    {
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = "assets", CannedACL = S3CannedACL.PublicRead });
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "assets", Key = "site.css", ContentBody = "body{}", ContentType = "text/css" });

        using var response = await _http.GetAsync("/assets/site.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(put.ETag, response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/site.css");
        again.Headers.TryAddWithoutValidation("If-None-Match", put.ETag);
        using var notModified = await _http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var listing = await _http.GetAsync("/assets");
        Assert.Equal(HttpStatusCode.Forbidden, listing.StatusCode); // public-read covers objects, not listing or writes
        using var write = await _http.PutAsync("/assets/evil.css", new StringContent("x"));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task PublicReadObjectAcl_OpensOnlyThatObject()
    {
        await _s3.PutBucketAsync("mixed");
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "mixed", Key = "public.png", ContentBody = "png", CannedACL = S3CannedACL.PublicRead });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "mixed", Key = "private.png", ContentBody = "png" });

        using var open = await _http.GetAsync("/mixed/public.png");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using var closed = await _http.GetAsync("/mixed/private.png");
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
    }

    [Fact]
    public async Task VirtualHostStyle_AddressesTheBucketByHostName()
    {
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = "vhost", CannedACL = S3CannedACL.PublicRead });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "vhost", Key = "dir/file.txt", ContentBody = "by host" });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dir/file.txt");
        request.Headers.Host = "vhost.storage.test";
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("by host", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cors_TheDashboardOrigin_IsAnsweredByEveryBucket_EvenErrors_OtherOriginsAreNot()
    {
        await _s3.PutBucketAsync("addon-bucket");

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/addon-bucket/photo.png");
        preflight.Headers.Add("Origin", StorageServer.DashboardOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var allowed = await _http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(StorageServer.DashboardOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var foreign = new HttpRequestMessage(HttpMethod.Options, "/addon-bucket/photo.png");
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "GET");
        using var refused = await _http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // CORS grants no access: an unsigned request is still refused, but the page can read why.
        using var unsigned = new HttpRequestMessage(HttpMethod.Get, "/addon-bucket?list-type=2");
        unsigned.Headers.Add("Origin", StorageServer.DashboardOrigin);
        using var denied = await _http.SendAsync(unsigned);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(StorageServer.DashboardOrigin, denied.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("AccessDenied", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_ConfigurationPreflightAndActualRequests()
    {
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = "browser", CannedACL = S3CannedACL.PublicRead });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "browser", Key = "img.png", ContentBody = "png" });
        await _s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = "browser",
            Configuration = new CORSConfiguration
            {
                Rules = [new CORSRule { AllowedOrigins = ["https://app.example"], AllowedMethods = ["GET", "PUT"], AllowedHeaders = ["*"], ExposeHeaders = ["ETag"], MaxAgeSeconds = 600 }],
            },
        });
        var stored = await _s3.GetCORSConfigurationAsync("browser");
        Assert.Equal("https://app.example", Assert.Single(stored.Configuration.Rules).AllowedOrigins.Single());

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/browser/img.png");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var allowed = await _http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("600", allowed.Headers.GetValues("Access-Control-Max-Age").Single());

        using var foreign = new HttpRequestMessage(HttpMethod.Options, "/browser/img.png");
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "GET");
        using var refused = await _http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var get = new HttpRequestMessage(HttpMethod.Get, "/browser/img.png");
        get.Headers.Add("Origin", "https://app.example");
        using var actual = await _http.SendAsync(get);
        Assert.Equal("https://app.example", actual.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("ETag", actual.Headers.GetValues("Access-Control-Expose-Headers").Single());

        // Replaced rules apply at once: parsed rules are remembered per stored configuration, not per bucket name.
        await _s3.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = "browser",
            Configuration = new CORSConfiguration { Rules = [new CORSRule { AllowedOrigins = ["https://other.example"], AllowedMethods = ["GET"] }] },
        });
        using var formerOrigin = new HttpRequestMessage(HttpMethod.Get, "/browser/img.png");
        formerOrigin.Headers.Add("Origin", "https://app.example");
        using var formerAnswer = await _http.SendAsync(formerOrigin);
        Assert.False(formerAnswer.Headers.Contains("Access-Control-Allow-Origin"));
        using var newOrigin = new HttpRequestMessage(HttpMethod.Get, "/browser/img.png");
        newOrigin.Headers.Add("Origin", "https://other.example");
        using var newAnswer = await _http.SendAsync(newOrigin);
        Assert.Equal("https://other.example", newAnswer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        await _s3.DeleteCORSConfigurationAsync("browser");
        var none = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetCORSConfigurationAsync("browser"));
        Assert.Equal("NoSuchCORSConfiguration", none.ErrorCode);
    }

    [Fact]
    public async Task UnimplementedOperations_AnswerNotImplementedAtOnce()
    {
        await _s3.PutBucketAsync("plain");
        var policy = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetBucketPolicyAsync("plain"));
        Assert.Equal(HttpStatusCode.NotImplemented, policy.StatusCode);
        Assert.Equal("NotImplemented", policy.ErrorCode);

        var versioning = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = "plain", VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        }));
        Assert.Equal("NotImplemented", versioning.ErrorCode);

        var tagging = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = "plain" }));
        Assert.Equal("NotImplemented", tagging.ErrorCode);
    }

    [Fact]
    public async Task BucketAcl_PublicReadCannedAcl_TogglesPublicAccess()
    {
        await _s3.PutBucketAsync("toggle");
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "toggle", Key = "x", ContentBody = "x" });
        using (var before = await _http.GetAsync("/toggle/x"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        await _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = "toggle", ACL = S3CannedACL.PublicRead });
        using var after = await _http.GetAsync("/toggle/x");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var acl = await _s3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = "toggle" });
        Assert.Contains(acl.Grants, g => g.Grantee.URI == "http://acs.amazonaws.com/groups/global/AllUsers");
    }
}
