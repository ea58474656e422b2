using System.Collections.Frozen;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Slipway.Core.Platform;
using Slipway.Storage.Access;
using Slipway.Storage.Blobs;
using Slipway.Storage.Engine;
using Slipway.Storage.Hosting;
using Slipway.Storage.S3.Auth;

namespace Slipway.Storage.S3;

/// <summary>
/// The S3 API on the storage port: parses the request, lets platform capability URLs through to <see cref="BlobEndpoints"/>,
/// authenticates (SigV4), dispatches by method, bucket/key and sub-resource, and answers every failure with S3's error XML.
/// </summary>
public sealed partial class S3Server
{
    // Looked up by each parameter the request has (a few), not each name here against the request (27 lookups).
    private static readonly FrozenSet<string> UnsupportedSubresources = FrozenSet.Create(StringComparer.Ordinal,
    [
        "policy", "policyStatus", "lifecycle", "tagging", "website", "replication", "logging", "notification", "encryption",
        "object-lock", "ownershipControls", "publicAccessBlock", "accelerate", "requestPayment", "analytics", "metrics",
        "inventory", "intelligent-tiering", "restore", "select", "retention", "legal-hold", "torrent", "attributes", "session",
        "metadataTable", "renameObject",
    ]);

    private readonly FileObjectStore _store;
    private readonly StorageOptions _options;
    private readonly UrlSigner _signer;
    private readonly TimeProvider _time;
    private readonly ILogger<S3Server> _logger;
    private readonly S3Authenticator _authenticator;

    public S3Server(FileObjectStore store, AccessKeyStore keys, StorageOptions options, UrlSigner signer, TimeProvider time, ILogger<S3Server> logger)
    {
        _store = store;
        _options = options;
        _signer = signer;
        _time = time;
        _logger = logger;
        _authenticator = new S3Authenticator(keys, time);
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // S3 takes objects up to 5 GiB; the signature decides who may send them
        }

        if (BlobEndpoints.IsCapabilityUrl(context.Request))
        {
            await BlockingWork.ToThreadPool();
            await BlobEndpoints.HandleAsync(context, _signer, _store);
            return;
        }

        S3Request? request = null;
        try
        {
            request = S3Request.Parse(context, _options.Hosts);
            context.Response.Headers["x-amz-request-id"] = request.RequestId;
            context.Response.Headers["x-amz-id-2"] = request.HostId;
            if (HttpMethods.IsOptions(request.Method))
            {
                await PreflightAsync(request);
                return;
            }

            // Before authentication, so that a browser can read an error (an expired signature) and say what to do.
            await ApplyCorsAsync(request);
            await _authenticator.AuthenticateAsync(request);
            if (!IsPlainObjectRequest(request))
            {
                // Listings, multipart, copies and bucket changes query or write SQLite and files in many places: they run
                // on the thread pool, not on the socket thread this request arrived on (StorageTransport).
                await BlockingWork.ToThreadPool();
            }

            await DispatchAsync(request);
        }
        catch (S3Exception e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e, request);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, new S3Exception(400, "IncompleteBody", $"The request body could not be read: {e.Message}"), request);
        }
        catch (S3Exception e)
        {
            _logger.LogWarning("S3 {Method} {Path} failed after the response started: {Code} {Message}", context.Request.Method, context.Request.Path, e.Code, e.Message);
            context.Abort();
        }
    }

    private Task DispatchAsync(S3Request r)
    {
        foreach (var (name, _) in r.Query.Pairs)
        {
            if (UnsupportedSubresources.Contains(name))
            {
                throw S3Exception.NotImplemented($"the '{name}' sub-resource");
            }
        }

        if (r.Bucket is null)
        {
            return HttpMethods.IsGet(r.Method) ? ListBucketsAsync(r)
                : HttpMethods.IsPost(r.Method) && r.Caller is null && (r.Http.HasFormContentType || r.Has("Action"))
                    ? throw S3Exception.InvalidRequest("This endpoint serves only the S3 API; the request looks like a call to another AWS service (IAM, STS …).")
                    : throw S3Exception.MethodNotAllowed(r.Method, "SERVICE");
        }

        if (!r.HasKey)
        {
            return r.Method switch
            {
                "PUT" when r.Has("cors") => PutBucketCorsAsync(r),
                "PUT" when r.Has("acl") => PutBucketAclAsync(r),
                "PUT" when r.Has("versioning") => throw S3Exception.NotImplemented("bucket versioning"),
                "PUT" => CreateBucketAsync(r),
                "HEAD" => HeadBucketAsync(r),
                "GET" when r.Has("location") => GetBucketLocationAsync(r),
                "GET" when r.Has("versioning") => GetBucketVersioningAsync(r),
                "GET" when r.Has("cors") => GetBucketCorsAsync(r),
                "GET" when r.Has("acl") => GetBucketAclAsync(r),
                "GET" when r.Has("uploads") => ListMultipartUploadsAsync(r),
                "GET" when r.Has("versions") => ListObjectVersionsAsync(r),
                "GET" when r.Query.TryGetValue("list-type", out var type) && type == "2" => ListObjectsV2Async(r),
                "GET" => ListObjectsV1Async(r),
                "DELETE" when r.Has("cors") => DeleteBucketCorsAsync(r),
                "DELETE" => DeleteBucketAsync(r),
                "POST" when r.Has("delete") => DeleteObjectsAsync(r),
                _ => throw S3Exception.MethodNotAllowed(r.Method, "BUCKET"),
            };
        }

        ValidateKey(r.Key);
        return r.Method switch
        {
            "PUT" when r.Has("partNumber") && r.Has("uploadId") => r.Header("x-amz-copy-source") is null ? UploadPartAsync(r) : UploadPartCopyAsync(r),
            "PUT" when r.Has("acl") => PutObjectAclAsync(r),
            "PUT" when r.Header("x-amz-copy-source") is not null => CopyObjectAsync(r),
            "PUT" => PutObjectAsync(r),
            "GET" when r.Has("uploadId") => ListPartsAsync(r),
            "GET" when r.Has("acl") => GetObjectAclAsync(r),
            "GET" => GetObjectAsync(r, head: false),
            "HEAD" => GetObjectAsync(r, head: true),
            "DELETE" when r.Has("uploadId") => AbortMultipartUploadAsync(r),
            "DELETE" => DeleteObjectAsync(r),
            "POST" when r.Has("uploads") => CreateMultipartUploadAsync(r),
            "POST" when r.Has("uploadId") => CompleteMultipartUploadAsync(r),
            "POST" => throw S3Exception.NotImplemented("POST object (browser form uploads)"),
            _ => throw S3Exception.MethodNotAllowed(r.Method, "OBJECT"),
        };
    }

    /// <summary>
    /// A GET, HEAD or PUT of an object's bytes, with no sub-resource and no copy: these paths keep every blocking step on
    /// the pool themselves (<see cref="BlockingWork"/>), so a cached small object is answered on the socket thread.
    /// </summary>
    private static bool IsPlainObjectRequest(S3Request r)
    {
        if (r.Bucket is null || !r.HasKey || !(HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method) || HttpMethods.IsPut(r.Method)))
        {
            return false;
        }

        var query = r.Query.Pairs;
        for (var i = 0; i < query.Count; i++)
        {
            // Presigned-URL parameters, response header overrides, and the operation name newer SDKs add (x-id=GetObject).
            var name = query[i].Key;
            if (!name.StartsWith("X-Amz-", StringComparison.Ordinal) && !name.StartsWith("response-", StringComparison.Ordinal) && name != "x-id")
            {
                return false;
            }
        }

        return r.Header("x-amz-copy-source") is null;
    }

    private static void ValidateKey(string key)
    {
        if (Encoding.UTF8.GetByteCount(key) > 1024)
        {
            throw S3Exception.KeyTooLong();
        }

        if (key.Contains('\0', StringComparison.Ordinal))
        {
            throw S3Exception.InvalidArgument("Object keys may not contain NUL characters.", "key", key.Replace('\0', ' '));
        }
    }

    private enum Need
    {
        /// <summary>Reading objects: owners' keys, or anyone when the bucket or object is public-read.</summary>
        Read,

        /// <summary>Writing objects and bucket settings: a key that is not read-only.</summary>
        Write,

        /// <summary>Creating and deleting buckets: an account-wide key that is not read-only.</summary>
        Account,
    }

    /// <summary>The bucket the request names, if the caller may use it as <paramref name="need"/> says.</summary>
    private async ValueTask<BucketRecord> AuthorizeAsync(S3Request r, Need need, bool allowPublic = false)
    {
        var bucket = await _store.GetBucketAsync(r.Bucket!, r.Context.RequestAborted) ?? throw S3Exception.NoSuchBucket(r.Bucket!);
        var caller = r.Caller;
        if (caller is null)
        {
            return allowPublic && need == Need.Read ? bucket : throw S3Exception.AccessDenied();
        }

        var allowed = bucket.Owner == caller.Account && caller.CanReach(bucket.Name)
            && (need == Need.Read || !caller.ReadOnly)
            && (need != Need.Account || caller.Bucket is null);
        return allowed ? bucket : throw S3Exception.AccessDenied();
    }

    private async Task WriteErrorAsync(HttpContext context, S3Exception error, S3Request? request)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        if (HttpMethods.IsHead(context.Request.Method) || error.Status == 304)
        {
            return;
        }

        var resource = context.Request.Path.Value ?? "/";
        var root = new XElement("Error",
            new XElement("Code", error.Code),
            new XElement("Message", error.Message),
            error.Details.Select(d => new XElement(d.Key, d.Value)),
            new XElement("Resource", resource),
            new XElement("RequestId", request?.RequestId ?? ""),
            new XElement("HostId", request?.HostId ?? ""));
        var bytes = S3Xml.Render(root);
        response.ContentType = "application/xml";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
        await DrainAsync(request);
    }

    /// <summary>Reads what is left of a rejected upload (bounded) so the connection can carry the next request.</summary>
    private static async Task DrainAsync(S3Request? request)
    {
        if (request?.Http.ContentLength is not { } length || length <= 0 || length > 1024 * 1024)
        {
            return;
        }

        try
        {
            await request.Http.Body.CopyToAsync(Stream.Null, request.Context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
        }
    }
}
