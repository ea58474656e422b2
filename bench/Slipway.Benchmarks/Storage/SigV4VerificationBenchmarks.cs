using BenchmarkDotNet.Attributes;
using Slipway.Storage.S3.Auth;

namespace Slipway.Benchmarks.Storage;

/// <summary>
/// Verifying a header-signed SigV4 GET the way S3Authenticator does (signing key from its per-day cache, canonical
/// request, string to sign, signature, constant-time compare): paid by every S3 request. The access-key lookup is not included.
/// </summary>
[MemoryDiagnoser]
public class SigV4VerificationBenchmarks
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20261129T210000Z";
    private const string Scope = "20261129/us-east-1/s3/aws4_request";
    private const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date";
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
    public void Setup() => _signature = Compute();

    [Benchmark]
    public bool Verify() => SigV4.SignaturesEqual(Compute(), _signature);

    private string Compute()
    {
        var signingKey = _signingKeys.Get(Secret, "20261129", "us-east-1", "s3");
        var canonical = SigV4.CanonicalRequest("GET", "/profile-pictures/users/42/avatar.png", SigV4.CanonicalQuery(_query),
            SigV4.CanonicalHeaders(_headers, SignedHeaders.Split(';')), SignedHeaders, SigV4.EmptySha256);
        return SigV4.Sign(signingKey, SigV4.StringToSign(AmzDate, Scope, canonical));
    }
}
