using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Slipway.Storage.Engine;
using Slipway.Storage.S3.Auth;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.S3;

public sealed class RawSigningTests : IAsyncLifetime
{
    private StorageServer _server = null!;
    private HttpClient _http = null!;
    private string _id = "";
    private string _secret = "";

    public async ValueTask InitializeAsync()
    {
        _server = await StorageServer.StartAsync();
        var key = await _server.Keys.CreateAsync(StorageServer.Account, null, false, "test");
        (_id, _secret) = (key.Key.Id, key.Secret);
        using var s3 = _server.Client(_id, _secret);
        await s3.PutBucketAsync("raw");
        _http = new HttpClient { BaseAddress = new Uri(_server.Url) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task UnsignedPayload_PutThenGet_Works()
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, _server.Url + "/raw/unsigned.txt") { Content = new StringContent("no payload hash") };
        RawSigner.Sign(put, _id, _secret, SigV4.UnsignedPayload, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal("no payload hash", await GetTextAsync("/raw/unsigned.txt"));
    }

    [Fact]
    public async Task CopySource_IsPercentDecodedAsUtf8_AndInvalidUtf8IsInvalidUri()
    {
        using (var put = new HttpRequestMessage(HttpMethod.Put, _server.Url + "/raw/caf%C3%A9.txt") { Content = new StringContent("source") })
        {
            RawSigner.Sign(put, _id, _secret, SigV4.UnsignedPayload, DateTimeOffset.UtcNow);
            using var response = await _http.SendAsync(put);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var copy = CopyRequest("/raw/caf%C3%A9.txt", "/raw/copied.txt"))
        {
            using var response = await _http.SendAsync(copy);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("source", await GetTextAsync("/raw/copied.txt"));

        using (var invalid = CopyRequest("/raw/%FF%FE.txt", "/raw/never.txt"))
        {
            using var response = await _http.SendAsync(invalid);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("<Code>InvalidURI</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private HttpRequestMessage CopyRequest(string source, string destination)
    {
        var copy = new HttpRequestMessage(HttpMethod.Put, _server.Url + destination);
        copy.Headers.TryAddWithoutValidation("x-amz-copy-source", source);
        RawSigner.Sign(copy, _id, _secret, SigV4.UnsignedPayload, DateTimeOffset.UtcNow);
        return copy;
    }

    [Fact]
    public async Task UnsignedTrailer_ChecksumInTrailer_IsVerified()
    {
        var data = Encoding.UTF8.GetBytes("chunked with a trailing checksum");
        using (var ok = UnsignedTrailerPut("/raw/trailer.txt", data, Crc32(data)))
        using (var response = await _http.SendAsync(ok))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("chunked with a trailing checksum", await GetTextAsync("/raw/trailer.txt"));

        using var bad = UnsignedTrailerPut("/raw/trailer-bad.txt", data, Crc32("something else"u8.ToArray()));
        using var rejected = await _http.SendAsync(bad);
        Assert.Equal("BadDigest", await ErrorCodeAsync(rejected, HttpStatusCode.BadRequest));
        Assert.Null(await _server.Store.GetObjectAsync("raw", "trailer-bad.txt"));
    }

    [Fact]
    public async Task SignedChunks_TamperedChunk_IsRejectedAndNothingStored()
    {
        var data = new byte[100_000];
        RandomNumberGenerator.Fill(data);
        var now = DateTimeOffset.UtcNow;
        var amzDate = now.UtcDateTime.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);
        using var put = new HttpRequestMessage(HttpMethod.Put, _server.Url + "/raw/tampered.bin");
        put.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", data.Length.ToString(CultureInfo.InvariantCulture));
        var seed = RawSigner.Sign(put, _id, _secret, SigV4.StreamingSigned, now);
        var signing = new ChunkSigning(SigV4.SigningKey(_secret, amzDate[..8], "us-east-1", "s3"), amzDate, $"{amzDate[..8]}/us-east-1/s3/aws4_request", seed, _id, false);
        var body = new MemoryStream();
        foreach (var chunk in data.Chunk(65536).Append([]))
        {
            var signature = signing.NextChunk(SigV4.Hex(SHA256.HashData(chunk)));
            var sent = chunk.ToArray();
            if (sent.Length > 10)
            {
                sent[10] ^= 0xFF; // the bytes differ from what was signed
            }

            body.Write(Encoding.ASCII.GetBytes($"{sent.Length:x};chunk-signature={signature}\r\n"));
            body.Write(sent);
            body.Write("\r\n"u8);
        }

        put.Content = new ByteArrayContent(body.ToArray());
        put.Content.Headers.ContentEncoding.Add("aws-chunked");
        using var response = await _http.SendAsync(put);
        Assert.Equal("SignatureDoesNotMatch", await ErrorCodeAsync(response, HttpStatusCode.Forbidden));
        Assert.Null(await _server.Store.GetObjectAsync("raw", "tampered.bin"));
    }

    [Fact]
    public async Task SignedPayloadHash_BodyDiffers_IsXAmzContentSHA256Mismatch()
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, _server.Url + "/raw/mismatch.txt") { Content = new StringContent("actual body") };
        RawSigner.Sign(put, _id, _secret, SigV4.Hex(SHA256.HashData("signed body"u8)), DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(put);
        Assert.Equal("XAmzContentSHA256Mismatch", await ErrorCodeAsync(response, HttpStatusCode.BadRequest));
        Assert.Null(await _server.Store.GetObjectAsync("raw", "mismatch.txt"));
    }

    [Fact]
    public async Task SkewedClock_IsRequestTimeTooSkewed()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, _server.Url + "/raw");
        RawSigner.Sign(get, _id, _secret, SigV4.EmptySha256, DateTimeOffset.UtcNow.AddMinutes(-20));
        using var response = await _http.SendAsync(get);
        Assert.Equal("RequestTimeTooSkewed", await ErrorCodeAsync(response, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task RequestSignedForAnotherService_GetsPromptMalformedAnswer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Url + "/") { Content = new FormUrlEncodedContent([new("Action", "ListUsers"), new("Version", "2010-05-08")]) };
        RawSigner.Sign(request, _id, _secret, SigV4.UnsignedPayload, DateTimeOffset.UtcNow, service: "iam");
        using var response = await _http.SendAsync(request);
        Assert.Equal("AuthorizationHeaderMalformed", await ErrorCodeAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task UnsignedIamCall_GetsPromptInvalidRequest()
    {
        using var response = await _http.PostAsync("/", new FormUrlEncodedContent([new("Action", "ListUsers")]));
        Assert.Equal("InvalidRequest", await ErrorCodeAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task SignatureVersion2_IsRefusedWithS3sMessage()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, _server.Url + "/raw");
        get.Headers.TryAddWithoutValidation("Authorization", $"AWS {_id}:c2lnbmF0dXJl");
        using var response = await _http.SendAsync(get);
        Assert.Equal("InvalidRequest", await ErrorCodeAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task AnonymousRequest_ToPrivateBucket_GetsS3ErrorXml()
    {
        using var response = await _http.GetAsync("/raw/anything");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", text, StringComparison.Ordinal);
        var error = XElement.Parse(text);
        Assert.Equal("Error", error.Name.LocalName);
        Assert.Equal("AccessDenied", error.Element("Code")?.Value);
        Assert.Equal("Access Denied", error.Element("Message")?.Value);
        Assert.False(string.IsNullOrEmpty(error.Element("RequestId")?.Value));
        Assert.Equal(error.Element("RequestId")?.Value, response.Headers.GetValues("x-amz-request-id").Single());
    }

    private HttpRequestMessage UnsignedTrailerPut(string path, byte[] data, string crc32)
    {
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"));
        body.Write(data);
        body.Write(Encoding.ASCII.GetBytes($"\r\n0\r\nx-amz-checksum-crc32:{crc32}\r\n\r\n"));
        var put = new HttpRequestMessage(HttpMethod.Put, _server.Url + path) { Content = new ByteArrayContent(body.ToArray()) };
        put.Content.Headers.ContentEncoding.Add("aws-chunked");
        put.Headers.TryAddWithoutValidation("x-amz-trailer", "x-amz-checksum-crc32");
        put.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", data.Length.ToString(CultureInfo.InvariantCulture));
        RawSigner.Sign(put, _id, _secret, SigV4.StreamingUnsignedTrailer, DateTimeOffset.UtcNow);
        return put;
    }

    private static string Crc32(byte[] data)
    {
        var crc = Checksums.Create(ChecksumAlgorithm.Crc32);
        crc.Append(data);
        return crc.FinishBase64();
    }

    private async Task<string> GetTextAsync(string path)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, _server.Url + path);
        RawSigner.Sign(get, _id, _secret, SigV4.EmptySha256, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    internal static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        return XElement.Parse(await response.Content.ReadAsStringAsync()).Element("Code")?.Value;
    }
}
