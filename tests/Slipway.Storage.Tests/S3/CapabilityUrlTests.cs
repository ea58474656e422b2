using System.Net;
using Slipway.Storage.Blobs;
using Slipway.Storage.Engine;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

/// <summary>The platform's signed source-upload URLs (<c>POST /sources</c>) keep working on the S3 port.</summary>
public sealed class CapabilityUrlTests
{
    [Fact]
    public async Task SignedPutThenGet_Works_AndTamperingIsDenied()
    {
        await using var server = await StorageServer.StartAsync();
        using var http = new HttpClient();
        var key = Guid.NewGuid().ToString();
        var put = BlobEndpoints.UrlFor(server.Url, server.Signer, "PUT", PlatformBuckets.Sources, key, TimeSpan.FromHours(1));
        var get = BlobEndpoints.UrlFor(server.Url, server.Signer, "GET", PlatformBuckets.Sources, key, TimeSpan.FromHours(1));

        using (var response = await http.PutAsync(put, new ByteArrayContent([1, 2, 3, 4])))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal([1, 2, 3, 4], await http.GetByteArrayAsync(get));
        using var forged = await http.GetAsync(get.Replace("signature=", "signature=0", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using var putWithGetUrl = await http.PutAsync(get, new ByteArrayContent([9]));
        Assert.Equal(HttpStatusCode.Forbidden, putWithGetUrl.StatusCode);
    }
}
