using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Platform;
using Slipway.Storage.Engine;

namespace Slipway.Storage.Blobs;

/// <summary>
/// Signed-URL GET/PUT of platform objects on the storage port (source uploads: <c>POST /sources</c> hands out such URLs).
/// They carry <c>expires</c> and <c>signature</c> and no SigV4, which is how the S3 server tells them apart and passes
/// them here; they stay valid alongside the S3 API.
/// </summary>
public static class BlobEndpoints
{
    /// <summary>Maps only the capability URLs (without the S3 API), for hosts that want just these.</summary>
    public static IEndpointRouteBuilder MapSignedBlobs(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/{bucket}/{**key}", ["PUT"], (HttpContext context, string bucket, string key, UrlSigner signer, IObjectStore store) => PutAsync(context, bucket, key, signer, store));
        routes.MapMethods("/{bucket}/{**key}", ["GET", "HEAD"], (HttpContext context, string bucket, string key, UrlSigner signer, IObjectStore store) => GetAsync(context, bucket, key, signer, store));
        return routes;
    }

    /// <summary>The resource string a signature covers, shared by <see cref="UrlFor"/> and verification.</summary>
    public static string Resource(string method, string bucket, string key) => $"{method} /{bucket}/{key}";

    public static string UrlFor(string baseUrl, UrlSigner signer, string method, string bucket, string key, TimeSpan lifetime) =>
        $"{baseUrl.TrimEnd('/')}/{bucket}/{Uri.EscapeDataString(key)}?{signer.Sign(Resource(method, bucket, key), lifetime)}";

    /// <summary>A platform capability URL: <c>expires</c> and <c>signature</c> in the query, no SigV4 anywhere.</summary>
    public static bool IsCapabilityUrl(HttpRequest request)
    {
        if (request.Headers.ContainsKey("Authorization"))
        {
            return false;
        }

        // Names compared exactly: SigV2 presigned URLs carry "Signature" and "Expires", which are not ours. Every S3
        // request asks this, so it reads the query in place instead of splitting it.
        var query = (request.QueryString.Value ?? "").AsSpan().TrimStart('?');
        var and = query.IndexOf('&');
        if (and < 0 || query[(and + 1)..].Contains('&'))
        {
            return false;
        }

        var first = NameOf(query[..and]);
        var second = NameOf(query[(and + 1)..]);
        return (first.SequenceEqual("expires") && second.SequenceEqual("signature")) || (first.SequenceEqual("signature") && second.SequenceEqual("expires"));
    }

    private static ReadOnlySpan<char> NameOf(ReadOnlySpan<char> parameter) =>
        parameter.IndexOf('=') is var equals and >= 0 ? parameter[..equals] : parameter;

    /// <summary>Serves a capability URL on a path <c>/{bucket}/{key}</c>.</summary>
    public static async Task HandleAsync(HttpContext context, UrlSigner signer, IObjectStore store)
    {
        var path = context.Request.Path.Value ?? "/";
        var slash = path.IndexOf('/', 1);
        if (slash < 0)
        {
            await Denied().ExecuteAsync(context);
            return;
        }

        var bucket = path[1..slash];
        var key = path[(slash + 1)..];
        var result = HttpMethods.IsPut(context.Request.Method) ? await PutAsync(context, bucket, key, signer, store)
            : HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? await GetAsync(context, bucket, key, signer, store)
            : Denied();
        await result.ExecuteAsync(context);
    }

    private static async Task<IResult> PutAsync(HttpContext context, string bucket, string key, UrlSigner signer, IObjectStore store)
    {
        if (!Authorized(context, signer, "PUT", bucket, key))
        {
            return Denied();
        }

        // Sources can be large; the signature, not a size cap, is what limits who may upload.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var stored = await store.PutAsync(bucket, key, context.Request.Body, context.Request.ContentType, context.RequestAborted);
        context.Response.Headers.ETag = $"\"{stored.ETag}\"";
        return Results.Ok();
    }

    private static async Task<IResult> GetAsync(HttpContext context, string bucket, string key, UrlSigner signer, IObjectStore store)
    {
        if (!Authorized(context, signer, "GET", bucket, key))
        {
            return Denied();
        }

        var head = await store.HeadAsync(bucket, key, context.RequestAborted);
        var stream = head is null ? null : await store.OpenReadAsync(bucket, key, context.RequestAborted);
        if (stream is null)
        {
            return Results.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
                "application/xml", statusCode: 404);
        }

        context.Response.Headers.ETag = $"\"{head!.ETag}\"";
        return Results.Stream(stream, head.ContentType ?? "application/octet-stream", enableRangeProcessing: true);
    }

    private static bool Authorized(HttpContext context, UrlSigner signer, string method, string bucket, string key) =>
        signer.Verify(Resource(method, bucket, key), context.Request.Query["expires"], context.Request.Query["signature"]);

    private static IResult Denied() => Results.Text(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match. Ask the API for a new URL.</Message></Error>",
        "application/xml", statusCode: 403);
}
