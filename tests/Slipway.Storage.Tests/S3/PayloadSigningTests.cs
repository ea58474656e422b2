using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

/// <summary>
/// Each way the SDK carries a body over HTTP: signed aws-chunked with and without a trailing checksum, and a signed hash.
/// (The SDK sends UNSIGNED-PAYLOAD only over HTTPS; <see cref="RawSigningTests"/> covers it.) CRC32C and CRC64NVME need the
/// SDK's CRT package, so the engine's checksum tests cover those.
/// </summary>
public sealed class PayloadSigningTests : IAsyncLifetime
{
    private StorageServer _server = null!;
    private string _id = "";
    private string _secret = "";

    public async ValueTask InitializeAsync()
    {
        _server = await StorageServer.StartAsync();
        var key = await _server.Keys.CreateAsync(StorageServer.Account, null, false, "test");
        (_id, _secret) = (key.Key.Id, key.Secret);
        using var s3 = _server.Client(_id, _secret);
        await s3.PutBucketAsync("payloads");
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StreamingSignedWithTrailer_Default_RoundTrips() =>
        await RoundTripAsync(_server.Client(_id, _secret), new PutObjectRequest { UseChunkEncoding = true });

    [Fact]
    public async Task StreamingSignedWithoutTrailer_WhenChecksumsOnlyWhenRequired_RoundTrips() =>
        await RoundTripAsync(_server.Client(_id, _secret, c => c.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED),
            new PutObjectRequest { UseChunkEncoding = true });

    [Fact]
    public async Task SignedPayloadHash_WithoutChunking_RoundTrips() =>
        await RoundTripAsync(_server.Client(_id, _secret, c => c.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED),
            new PutObjectRequest { UseChunkEncoding = false });

    [Theory]
    [InlineData("CRC32")]
    [InlineData("SHA1")]
    [InlineData("SHA256")]
    public async Task EveryChecksumAlgorithm_IsVerifiedAndStored(string algorithm)
    {
        using var s3 = _server.Client(_id, _secret);
        await RoundTripAsync(s3, new PutObjectRequest { ChecksumAlgorithm = ChecksumAlgorithm.FindValue(algorithm) });
    }

    private static async Task RoundTripAsync(AmazonS3Client s3, PutObjectRequest request)
    {
        using var _ = s3;
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);
        request.BucketName = "payloads";
        request.Key = "blob-" + Guid.NewGuid().ToString("N");
        request.InputStream = new MemoryStream(bytes);
        await s3.PutObjectAsync(request);

        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "payloads", Key = request.Key, ChecksumMode = ChecksumMode.ENABLED });
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }
}
