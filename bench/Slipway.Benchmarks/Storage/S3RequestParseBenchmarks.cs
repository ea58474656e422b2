using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Storage.S3;

namespace Slipway.Benchmarks.Storage;

/// <summary>
/// Parsing a presigned GET the way the S3 server does before authentication (path, bucket and key, decoded query,
/// request id): paid by every S3 request, signed anew or not.
/// </summary>
[MemoryDiagnoser]
public class S3RequestParseBenchmarks
{
    private const string Target = "/photos/cat-0001.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=SLPWKEY0123456789ABCD%2F20261130%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261130T120000Z"
        + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&x-id=GetObject"
        + "&X-Amz-Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private static readonly string[] Hosts = ["localhost", "127.0.0.1"];
    private readonly DefaultHttpContext _context = new();

    [GlobalSetup]
    public void Setup()
    {
        _context.Features.Get<IHttpRequestFeature>()!.RawTarget = Target;
        _context.Request.Method = "GET";
        _context.Request.Host = new HostString("127.0.0.1", 9000);
    }

    [Benchmark]
    public string Parse() => S3Request.Parse(_context, Hosts).Key;
}
