using BenchmarkDotNet.Attributes;
using Slipway.Storage.S3.Auth;

namespace Slipway.Benchmarks.Storage;

/// <summary>
/// Verifying a header-signed SigV4 GET the way S3Authenticator does (signing key from its per-day cache, canonical
/// headers, canonical request, string to sign, signature, constant-time compare): paid by every S3 request signed anew.
/// The access-key lookup is not included.
/// </summary>
[MemoryDiagnoser]
public class SigV4VerificationBenchmarks
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20261129T210000Z";
    private const string Scope = "20261129/us-east-1/s3/aws4_request";
    private const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date";
    private const string CanonicalUri = "/profile-pictures/users/42/avatar.png";
    private readonly HeaderDictionary _headers = new()
    {
        ["host"] = "127.0.0.1:9000",
        ["x-amz-content-sha256"] = SigV4.EmptySha256,
        ["x-amz-date"] = AmzDate,
    };

    private readonly KeyValuePair<string, string>[] _query = [new("versionId", "null")];
    private readonly SigningKeyCache _signingKeys = new();
    private string _signature = "";

    [GlobalSetup]
    public void Setup()
    {
        var canonical = SigV4.CanonicalRequest("GET", CanonicalUri, SigV4.CanonicalQuery(_query), SigV4.CanonicalHeaders(_headers, SignedHeaders), SignedHeaders, SigV4.EmptySha256);
        _signature = SigV4.Sign(SigV4.SigningKey(Secret, "20261129", "us-east-1", "s3"), SigV4.StringToSign(AmzDate, Scope, canonical));
    }

    [Benchmark]
    public bool Verify() =>
        SignatureCheck.Matches(_signingKeys.Get(Secret, Scope), AmzDate, Scope, "GET", CanonicalUri, _query,
            SigV4.CanonicalHeaders(_headers, SignedHeaders), SignedHeaders, SigV4.EmptySha256, _signature, out _, out _);
}
