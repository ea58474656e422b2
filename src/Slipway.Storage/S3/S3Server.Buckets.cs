using System.Xml.Linq;
using Slipway.Storage.Engine;
using static Slipway.Storage.S3.S3Xml;

namespace Slipway.Storage.S3;

public sealed partial class S3Server
{
    private const string AllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";

    private async Task ListBucketsAsync(S3Request r)
    {
        var caller = r.Caller ?? throw S3Exception.AccessDenied();
        var buckets = (await _store.ListBucketsAsync(caller.Account, r.Context.RequestAborted)).Where(b => caller.CanReach(b.Name));
        await WriteAsync(r.Context, E("ListAllMyBucketsResult",
            Owner(caller.Account),
            E("Buckets", buckets.Select(b => E("Bucket", E("Name", b.Name), E("CreationDate", Time(b.CreatedAt)), E("BucketRegion", _options.Region))))));
    }

    private async Task CreateBucketAsync(S3Request r)
    {
        var caller = r.Caller ?? throw S3Exception.AccessDenied();
        var name = r.Bucket!;
        if (!BucketName.IsValid(name))
        {
            throw S3Exception.InvalidBucketName(name);
        }

        if (r.Http.ContentLength is > 0 || r.Chunked is not null)
        {
            var configuration = await ReadAsync(r.Body, r.Context.RequestAborted);
            if (configuration.ChildValue("LocationConstraint") is { Length: > 0 } location && location != _options.Region && _options.Region != "us-east-1")
            {
                throw new S3Exception(400, "IllegalLocationConstraintException",
                    $"The {location} location constraint is incompatible for the region specific endpoint this request was sent to.");
            }
        }

        var existing = await _store.GetBucketAsync(name, r.Context.RequestAborted);
        if (existing is not null)
        {
            // As in us-east-1: creating a bucket you already own succeeds.
            if (existing.Owner == caller.Account && caller.CanReach(name))
            {
                r.Context.Response.Headers.Location = "/" + name;
                return;
            }

            throw new S3Exception(409, "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                [new("BucketName", name)]);
        }

        if (caller.Bucket is not null || caller.ReadOnly)
        {
            throw S3Exception.AccessDenied();
        }

        var (bucket, created) = await _store.CreateBucketAsync(name, caller.Account, IsPublicAcl(r), r.Context.RequestAborted);
        if (!created && bucket.Owner != caller.Account)
        {
            throw new S3Exception(409, "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                [new("BucketName", name)]);
        }

        r.Context.Response.Headers.Location = "/" + name;
    }

    private async Task HeadBucketAsync(S3Request r)
    {
        await AuthorizeAsync(r, Need.Read);
        r.Context.Response.Headers["x-amz-bucket-region"] = _options.Region;
    }

    private async Task DeleteBucketAsync(S3Request r)
    {
        await AuthorizeAsync(r, Need.Account);
        await _store.DeleteBucketAsync(r.Bucket!, withObjects: false, r.Context.RequestAborted);
        r.Context.Response.StatusCode = 204;
    }

    private async Task GetBucketLocationAsync(S3Request r)
    {
        await AuthorizeAsync(r, Need.Read);
        await WriteAsync(r.Context, E("LocationConstraint", _options.Region == "us-east-1" ? null : _options.Region));
    }

    private async Task GetBucketVersioningAsync(S3Request r)
    {
        await AuthorizeAsync(r, Need.Read);
        await WriteAsync(r.Context, E("VersioningConfiguration"));
    }

    private async Task GetBucketAclAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        await WriteAsync(r.Context, AccessControlPolicy(bucket.Owner, bucket.PublicRead));
    }

    /// <summary>Canned ACLs only: <c>public-read</c> (or public-read-write, read-only here) makes the bucket public, anything else private.</summary>
    private async Task PutBucketAclAsync(S3Request r)
    {
        await AuthorizeAsync(r, Need.Write);
        if (r.Header("x-amz-acl") is null)
        {
            throw S3Exception.NotImplemented("ACL grants in XML (use the x-amz-acl canned ACL header)");
        }

        await _store.SetBucketPublicAsync(r.Bucket!, IsPublicAcl(r), r.Context.RequestAborted);
    }

    private async Task GetObjectAclAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        var record = await _store.GetObjectAsync(bucket.Name, r.Key, r.Context.RequestAborted) ?? throw S3Exception.NoSuchKey(r.Key);
        await WriteAsync(r.Context, AccessControlPolicy(bucket.Owner, bucket.PublicRead || record.Headers.PublicRead));
    }

    private async Task PutObjectAclAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        if (r.Header("x-amz-acl") is null)
        {
            throw S3Exception.NotImplemented("ACL grants in XML (use the x-amz-acl canned ACL header)");
        }

        var record = await _store.GetObjectAsync(bucket.Name, r.Key, r.Context.RequestAborted) ?? throw S3Exception.NoSuchKey(r.Key);
        await _store.UpdateHeadersAsync(bucket.Name, r.Key, record.Headers with { PublicRead = IsPublicAcl(r) }, r.Context.RequestAborted);
    }

    private static bool IsPublicAcl(S3Request r) => r.Header("x-amz-acl")?.Trim() is "public-read" or "public-read-write";

    private static XElement Owner(string account) => E("Owner", E("ID", OwnerId(account)), E("DisplayName", account));

    /// <summary>A stable canonical-user-shaped id (64 hex) for an account.</summary>
    private static string OwnerId(string account) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("slipway-account:" + account)));

    private static XElement AccessControlPolicy(string owner, bool publicRead)
    {
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var grants = new List<XElement>
        {
            E("Grant", E("Grantee", new XAttribute(XNamespace.Xmlns + "xsi", xsi.NamespaceName), new XAttribute(xsi + "type", "CanonicalUser"),
                E("ID", OwnerId(owner)), E("DisplayName", owner)), E("Permission", "FULL_CONTROL")),
        };
        if (publicRead)
        {
            grants.Add(E("Grant", E("Grantee", new XAttribute(XNamespace.Xmlns + "xsi", xsi.NamespaceName), new XAttribute(xsi + "type", "Group"),
                E("URI", AllUsers)), E("Permission", "READ")));
        }

        return E("AccessControlPolicy", Owner(owner), E("AccessControlList", grants));
    }

    private static ObjectHeaders HeadersFrom(S3Request r)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in r.Http.Headers)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[name["x-amz-meta-".Length..].ToLowerInvariant()] = value.ToString();
            }
        }

        // aws-chunked is how the body travelled, not how the object is encoded.
        var encoding = string.Join(',', (r.Header("Content-Encoding") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
        return new ObjectHeaders
        {
            ContentType = r.Header("Content-Type"),
            ContentEncoding = encoding.Length == 0 ? null : encoding,
            CacheControl = r.Header("Cache-Control"),
            ContentDisposition = r.Header("Content-Disposition"),
            ContentLanguage = r.Header("Content-Language"),
            Expires = r.Header("Expires"),
            PublicRead = IsPublicAcl(r),
            Metadata = metadata,
        };
    }
}
