using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Storage.Access;

namespace Slipway.Storage.S3;

/// <summary>
/// One S3 request as the store sees it: bucket and key (path-style <c>/bucket/key</c> or virtual-host
/// <c>bucket.&lt;storage host&gt;/key</c>), decoded query, the caller once authenticated, and the verified body.
/// </summary>
internal sealed class S3Request
{
    private S3Request(HttpContext context, string target, string? bucket, string key, string canonicalUri, QueryParameters query)
    {
        Context = context;
        Target = target;
        Bucket = bucket;
        Key = key;
        CanonicalUri = canonicalUri;
        Query = query;
        Body = context.Request.Body;
        // An identifier for support, not a secret: the shared PRNG costs far less than the system CSPRNG per request.
        RequestId = Random.Shared.NextInt64().ToString("X16", CultureInfo.InvariantCulture);
        Span<byte> ascii = stackalloc byte[16];
        Encoding.ASCII.GetBytes(RequestId, ascii);
        HostId = Convert.ToBase64String(ascii);
    }

    public HttpContext Context { get; }

    public HttpRequest Http => Context.Request;

    public string Method => Context.Request.Method;

    /// <summary>The request target as sent (path and query, still percent-encoded).</summary>
    public string Target { get; }

    public string? Bucket { get; }

    /// <summary>The object key, decoded; empty when the request addresses a bucket or the service.</summary>
    public string Key { get; }

    public bool HasKey => Key.Length > 0;

    /// <summary>The path as SigV4 canonicalises it (each byte of the decoded path encoded once, slashes kept).</summary>
    public string CanonicalUri { get; }

    public QueryParameters Query { get; }

    public AccessKey? Caller { get; set; }

    /// <summary>The request body after authentication: aws-chunked decoded and signature/hash checked as it is read.</summary>
    public Stream Body { get; set; }

    /// <summary>The signed chunked body, when there is one: its trailers are known once it has been read to the end.</summary>
    public Auth.AwsChunkedStream? Chunked { get; set; }

    public string RequestId { get; }

    /// <summary>The <c>x-amz-id-2</c> value: the request id in base64, as S3 shapes it.</summary>
    public string HostId { get; }

    public bool Has(string queryName) => Query.ContainsKey(queryName);

    public string? Header(string name) => Context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    public static S3Request Parse(HttpContext context, IReadOnlyList<string> storageHosts)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = context.Request.Path.ToUriComponent() + context.Request.QueryString.Value;
        }

        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var path = PercentDecoding.Decode(queryStart < 0 ? target : target.AsSpan(0, queryStart));
        var query = QueryParameters.Parse(queryStart < 0 ? default : target.AsSpan(queryStart + 1));
        var canonicalUri = Auth.SigV4.UriEncode(path.Length == 0 ? "/" : path, keepSlash: true);
        var hostBucket = BucketFromHost(context.Request.Host.Host, storageHosts);
        if (hostBucket is not null)
        {
            return new S3Request(context, target, hostBucket, path.TrimStart('/').Length == 0 ? "" : path[1..], canonicalUri, query);
        }

        var rest = path.TrimStart('/');
        if (path.Length > 0 && path[0] == '/')
        {
            rest = path[1..];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        return new S3Request(context, target, bucket.Length == 0 ? null : bucket, key, canonicalUri, query);
    }

    /// <summary><c>photos.storage.localhost</c> → <c>photos</c> when <c>storage.localhost</c> is one of the store's host names.</summary>
    internal static string? BucketFromHost(string host, IReadOnlyList<string> storageHosts)
    {
        // Every request asks: loops and in-place compares, no string made unless the host names a bucket (ToLowerInvariant
        // returns the host itself when it is lower case already).
        for (var i = 0; i < storageHosts.Count; i++)
        {
            if (string.Equals(host, storageHosts[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        host = host.ToLowerInvariant();
        string? best = null;
        for (var i = 0; i < storageHosts.Count; i++)
        {
            var storageHost = storageHosts[i];
            var dot = host.Length - storageHost.Length - 1;
            if (dot >= 0 && host[dot] == '.' && host.AsSpan(dot + 1).SequenceEqual(storageHost) && storageHost.Length > (best?.Length ?? -1))
            {
                best = storageHost;
            }
        }

        return best is null ? null : host[..^(best.Length + 1)];
    }
}
