namespace Slipway.Storage.Hosting;

/// <summary>How the object store presents itself.</summary>
public sealed record StorageOptions
{
    /// <summary>The one region the store answers for (SDKs sign with it; bucket location reports it).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>
    /// Host names the store is reached by. A request to one of them is path-style (<c>/bucket/key</c>); a request to
    /// <c>&lt;bucket&gt;.&lt;host&gt;</c> is virtual-host style.
    /// </summary>
    public IReadOnlyList<string> Hosts { get; init; } = ["localhost", "127.0.0.1"];

    /// <summary>The endpoint handed to apps (through the router, e.g. <c>http://storage.localhost:8080</c>).</summary>
    public string AppEndpoint { get; init; } = "http://localhost:9000";

    /// <summary>
    /// Origins of slipwayd's own dashboard: every bucket answers them cross-origin, whatever its CORS rules, so an owner can
    /// browse an add-on's bucket there. This shares nothing by itself: each request still needs a key's signature.
    /// </summary>
    public IReadOnlyList<string> DashboardOrigins { get; init; } = [];

    /// <summary>Multipart uploads not completed within this time are aborted (S3 leaves that to lifecycle rules).</summary>
    public TimeSpan AbandonedUploadAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The largest single PUT, as S3's 5 GiB.</summary>
    public long MaxObjectSize { get; init; } = 5L * 1024 * 1024 * 1024;
}
