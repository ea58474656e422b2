using System.Globalization;
using Slipway.Storage.Engine;
using static Slipway.Storage.S3.S3Xml;

namespace Slipway.Storage.S3;

public sealed partial class S3Server
{
    private async Task CreateMultipartUploadAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        var upload = await _store.CreateUploadAsync(bucket.Name, r.Key, HeadersFrom(r), r.Context.RequestAborted);
        await WriteAsync(r.Context, E("InitiateMultipartUploadResult", E("Bucket", bucket.Name), E("Key", r.Key), E("UploadId", upload.Id)));
    }

    private async Task UploadPartAsync(S3Request r)
    {
        var (upload, number) = await PartTargetAsync(r);
        CheckSize(r);
        var (algorithms, verify) = IntegrityChecks(r);
        var part = await _store.PutPartAsync(upload, number, r.Body, algorithms, verify, r.Context.RequestAborted);
        r.Context.Response.Headers.ETag = Quote(part.ETag);
        foreach (var algorithm in algorithms)
        {
            if (r.Header(algorithm.HeaderName()) is { } value || r.Chunked?.Trailers.TryGetValue(algorithm.HeaderName(), out value) == true)
            {
                r.Context.Response.Headers[algorithm.HeaderName()] = value;
            }
        }
    }

    private async Task UploadPartCopyAsync(S3Request r)
    {
        var (upload, number) = await PartTargetAsync(r);
        var (source, stream) = await OpenCopySourceAsync(r);
        await using var _ = stream;
        CheckCopyConditions(r, source);
        var range = r.Header("x-amz-copy-source-range") is { } header
            ? ByteRange.Parse(header, source.Size) ?? throw S3Exception.InvalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", header)
            : new ByteRange(0, source.Size);
        stream.Seek(range.Start, SeekOrigin.Begin);
        await using var slice = new LimitedStream(stream, range.Length);
        var part = await _store.PutPartAsync(upload, number, slice, [], null, r.Context.RequestAborted);
        await WriteAsync(r.Context, E("CopyPartResult", E("LastModified", Time(part.LastModified)), E("ETag", Quote(part.ETag))));
    }

    private async Task<(UploadRecord Upload, int Number)> PartTargetAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        var text = r.Query["partNumber"];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 10000)
        {
            throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", text);
        }

        return (await UploadAsync(r, bucket.Name), number);
    }

    private async Task<UploadRecord> UploadAsync(S3Request r, string bucket)
    {
        var id = r.Query["uploadId"];
        var upload = await _store.GetUploadAsync(id, r.Context.RequestAborted);
        return upload is not null && upload.Bucket == bucket && upload.Key == r.Key ? upload : throw S3Exception.NoSuchUpload(id);
    }

    private async Task ListPartsAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        var upload = await UploadAsync(r, bucket.Name);
        var marker = int.TryParse(r.Query.GetValueOrDefault("part-number-marker"), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        var maxParts = int.TryParse(r.Query.GetValueOrDefault("max-parts"), NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? Math.Min(max, 1000) : 1000;
        var parts = (await _store.ListPartsAsync(upload.Id, r.Context.RequestAborted)).Where(p => p.Number > marker).ToList();
        var page = parts.Take(maxParts).ToList();
        var truncated = parts.Count > page.Count;
        await WriteAsync(r.Context, E("ListPartsResult",
            E("Bucket", bucket.Name), E("Key", upload.Key), E("UploadId", upload.Id),
            E("Initiator", E("ID", OwnerId(bucket.Owner)), E("DisplayName", bucket.Owner)), Owner(bucket.Owner), E("StorageClass", "STANDARD"),
            E("PartNumberMarker", marker), E("NextPartNumberMarker", page.Count > 0 ? page[^1].Number : marker), E("MaxParts", maxParts),
            E("IsTruncated", truncated ? "true" : "false"),
            page.Select(p => E("Part", E("PartNumber", p.Number), E("LastModified", Time(p.LastModified)), E("ETag", Quote(p.ETag)), E("Size", p.Size)))));
    }

    private async Task CompleteMultipartUploadAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        var upload = await UploadAsync(r, bucket.Name);
        var document = await ReadAsync(r.Body, r.Context.RequestAborted);
        var requested = new List<(int, string)>();
        foreach (var part in document.Children("Part"))
        {
            if (!int.TryParse(part.ChildValue("PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || part.ChildValue("ETag") is not { } etag)
            {
                throw S3Exception.MalformedXml();
            }

            requested.Add((number, etag));
        }

        var record = await _store.CompleteUploadAsync(upload, requested, Conditions.ForWrite(r.Header("If-Match"), r.Header("If-None-Match"), r.Key), r.Context.RequestAborted);
        var request = r.Http;
        await WriteAsync(r.Context, E("CompleteMultipartUploadResult",
            E("Location", $"{request.Scheme}://{request.Host}/{bucket.Name}/{Auth.SigV4.UriEncode(record.Key, keepSlash: true)}"),
            E("Bucket", bucket.Name), E("Key", record.Key), E("ETag", Quote(record.ETag))));
    }

    private async Task AbortMultipartUploadAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        var upload = await UploadAsync(r, bucket.Name);
        await _store.AbortUploadAsync(upload.Id, r.Context.RequestAborted);
        r.Context.Response.StatusCode = 204;
    }

    private async Task ListMultipartUploadsAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Read);
        var prefix = r.Query.GetValueOrDefault("prefix") ?? "";
        var keyMarker = r.Query.GetValueOrDefault("key-marker");
        var uploadIdMarker = r.Query.GetValueOrDefault("upload-id-marker");
        var maxUploads = int.TryParse(r.Query.GetValueOrDefault("max-uploads"), NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? Math.Min(max, 1000) : 1000;
        var uploads = await _store.ListUploadsAsync(bucket.Name, prefix, string.IsNullOrEmpty(keyMarker) ? null : keyMarker,
            string.IsNullOrEmpty(uploadIdMarker) ? null : uploadIdMarker, maxUploads + 1, r.Context.RequestAborted);
        var page = uploads.Take(maxUploads).ToList();
        var truncated = uploads.Count > maxUploads;
        await WriteAsync(r.Context, E("ListMultipartUploadsResult",
            E("Bucket", bucket.Name), E("KeyMarker", keyMarker ?? ""), E("UploadIdMarker", uploadIdMarker ?? ""),
            E("NextKeyMarker", truncated ? page[^1].Key : ""), E("NextUploadIdMarker", truncated ? page[^1].Id : ""),
            E("Prefix", prefix), E("MaxUploads", maxUploads), E("IsTruncated", truncated ? "true" : "false"),
            page.Select(u => E("Upload", E("Key", u.Key), E("UploadId", u.Id),
                E("Initiator", E("ID", OwnerId(bucket.Owner)), E("DisplayName", bucket.Owner)), Owner(bucket.Owner),
                E("StorageClass", "STANDARD"), E("Initiated", Time(u.Initiated))))));
    }
}
