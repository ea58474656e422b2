using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Slipway.Storage.Engine;
using static Slipway.Storage.S3.S3Xml;

namespace Slipway.Storage.S3;

public sealed partial class S3Server
{
    private async Task ListObjectsV2Async(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        var (prefix, delimiter, maxKeys, url) = ListParameters(r);
        var token = r.Query.GetValueOrDefault("continuation-token");
        string? after;
        try
        {
            after = token is null ? r.Query.GetValueOrDefault("start-after") : Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw S3Exception.InvalidArgument("The continuation token provided is incorrect", "continuation-token", token);
        }

        var page = await ListAsync(bucket.Name, prefix, delimiter, after, maxKeys, r.Context.RequestAborted);
        var fetchOwner = string.Equals(r.Query.GetValueOrDefault("fetch-owner"), "true", StringComparison.OrdinalIgnoreCase);
        await WriteAsync(r.Context, E("ListBucketResult",
            E("Name", bucket.Name),
            E("Prefix", Encode(prefix, url)),
            delimiter is null ? null : E("Delimiter", Encode(delimiter, url)),
            E("MaxKeys", maxKeys),
            url ? E("EncodingType", "url") : null,
            E("KeyCount", page.Contents.Count + page.Prefixes.Count),
            E("IsTruncated", page.Truncated ? "true" : "false"),
            token is null ? null : E("ContinuationToken", token),
            page.Truncated ? E("NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(page.Last!))) : null,
            r.Query.TryGetValue("start-after", out var startAfter) ? E("StartAfter", Encode(startAfter, url)) : null,
            page.Contents.Select(o => Contents(o, url, fetchOwner ? bucket.Owner : null)),
            page.Prefixes.Select(p => E("CommonPrefixes", E("Prefix", Encode(p, url))))));
    }

    private async Task ListObjectsV1Async(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        var (prefix, delimiter, maxKeys, url) = ListParameters(r);
        var marker = r.Query.GetValueOrDefault("marker");
        var page = await ListAsync(bucket.Name, prefix, delimiter, string.IsNullOrEmpty(marker) ? null : marker, maxKeys, r.Context.RequestAborted);
        await WriteAsync(r.Context, E("ListBucketResult",
            E("Name", bucket.Name),
            E("Prefix", Encode(prefix, url)),
            E("Marker", Encode(marker ?? "", url)),
            page.Truncated && delimiter is not null ? E("NextMarker", Encode(page.Last!, url)) : null,
            E("MaxKeys", maxKeys),
            delimiter is null ? null : E("Delimiter", Encode(delimiter, url)),
            url ? E("EncodingType", "url") : null,
            E("IsTruncated", page.Truncated ? "true" : "false"),
            page.Contents.Select(o => Contents(o, url, bucket.Owner)),
            page.Prefixes.Select(p => E("CommonPrefixes", E("Prefix", Encode(p, url))))));
    }

    /// <summary>An unversioned bucket's versions are its current objects, each with version id <c>null</c>.</summary>
    private async Task ListObjectVersionsAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        var (prefix, delimiter, maxKeys, url) = ListParameters(r);
        var marker = r.Query.GetValueOrDefault("key-marker");
        var page = await ListAsync(bucket.Name, prefix, delimiter, string.IsNullOrEmpty(marker) ? null : marker, maxKeys, r.Context.RequestAborted);
        await WriteAsync(r.Context, E("ListVersionsResult",
            E("Name", bucket.Name),
            E("Prefix", Encode(prefix, url)),
            E("KeyMarker", Encode(marker ?? "", url)),
            E("VersionIdMarker", r.Query.GetValueOrDefault("version-id-marker") ?? ""),
            page.Truncated ? E("NextKeyMarker", Encode(page.Last!, url)) : null,
            page.Truncated ? E("NextVersionIdMarker", "null") : null,
            E("MaxKeys", maxKeys),
            delimiter is null ? null : E("Delimiter", Encode(delimiter, url)),
            url ? E("EncodingType", "url") : null,
            E("IsTruncated", page.Truncated ? "true" : "false"),
            page.Contents.Select(o => E("Version",
                E("Key", Encode(o.Key, url)), E("VersionId", "null"), E("IsLatest", "true"), E("LastModified", Time(o.LastModified)),
                E("ETag", Quote(o.ETag)), E("Size", o.Size), Owner(bucket.Owner), E("StorageClass", "STANDARD"))),
            page.Prefixes.Select(p => E("CommonPrefixes", E("Prefix", Encode(p, url))))));
    }

    private static (string Prefix, string? Delimiter, int MaxKeys, bool Url) ListParameters(S3Request r)
    {
        var maxKeys = 1000;
        if (r.Query.TryGetValue("max-keys", out var text) && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys) || maxKeys < 0))
        {
            throw S3Exception.InvalidArgument("Provided max-keys not an integer or within integer range", "max-keys", text);
        }

        var encoding = r.Query.GetValueOrDefault("encoding-type");
        if (encoding is not null && encoding != "url")
        {
            throw S3Exception.InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
        }

        var delimiter = r.Query.GetValueOrDefault("delimiter");
        return (r.Query.GetValueOrDefault("prefix") ?? "", string.IsNullOrEmpty(delimiter) ? null : delimiter, Math.Min(maxKeys, 1000), encoding == "url");
    }

    private static XElement Contents(ObjectRecord o, bool url, string? owner) => E("Contents",
        E("Key", Encode(o.Key, url)),
        E("LastModified", Time(o.LastModified)),
        E("ETag", Quote(o.ETag)),
        o.Checksums.Keys.Select(a => E("ChecksumAlgorithm", a.Name().ToUpperInvariant())),
        E("Size", o.Size),
        owner is null ? null : Owner(owner),
        E("StorageClass", "STANDARD"));

    private static string Encode(string value, bool url) => url ? Auth.SigV4.UriEncode(value, keepSlash: true) : value;

    private sealed record ListPage(List<ObjectRecord> Contents, List<string> Prefixes, bool Truncated, string? Last);

    /// <summary>
    /// One page of a listing in UTF-8 byte order, keys sharing a prefix up to the delimiter rolled into one common prefix.
    /// <paramref name="after"/> is a key or a common prefix returned by a previous page (a common prefix skips all its keys).
    /// </summary>
    private async Task<ListPage> ListAsync(string bucket, string prefix, string? delimiter, string? after, int maxKeys, CancellationToken cancellationToken)
    {
        const int Batch = 1000;
        var contents = new List<ObjectRecord>();
        var prefixes = new List<string>();
        string? last = null;
        string? skip = null;
        if (after is not null && delimiter is not null && after.StartsWith(prefix, StringComparison.Ordinal)
            && after.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal) is var end and >= 0)
        {
            skip = after[..(end + delimiter.Length)];
        }

        var cursor = after;
        if (maxKeys == 0)
        {
            return new ListPage(contents, prefixes, false, null);
        }

        while (true)
        {
            var batch = await _store.ScanAsync(bucket, prefix, cursor, Batch, cancellationToken);
            var jumped = false;
            foreach (var record in batch)
            {
                cursor = record.Key;
                if (skip is not null && record.Key.StartsWith(skip, StringComparison.Ordinal))
                {
                    continue;
                }

                var at = delimiter is null ? -1 : record.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (contents.Count + prefixes.Count == maxKeys)
                {
                    return new ListPage(contents, prefixes, true, last);
                }

                if (at >= 0)
                {
                    var common = record.Key[..(at + delimiter!.Length)];
                    prefixes.Add(common);
                    last = common;
                    skip = common;
                    cursor = common + char.ConvertFromUtf32(0x10FFFF); // past every key under it, in UTF-8 order
                    jumped = true;
                    break;
                }

                contents.Add(record);
                last = record.Key;
            }

            if (!jumped && batch.Count < Batch)
            {
                return new ListPage(contents, prefixes, false, last);
            }
        }
    }
}
