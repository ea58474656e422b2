using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Slipway.Storage.Engine;
using static Slipway.Storage.S3.S3Xml;

namespace Slipway.Storage.S3;

public sealed partial class S3Server
{
    private const string DefaultContentType = "binary/octet-stream";

    private static readonly (string Query, string Header)[] ResponseOverrides =
    [
        ("response-content-type", "Content-Type"), ("response-content-language", "Content-Language"), ("response-expires", "Expires"),
        ("response-cache-control", "Cache-Control"), ("response-content-disposition", "Content-Disposition"), ("response-content-encoding", "Content-Encoding"),
    ];

    private async Task GetObjectAsync(S3Request r, bool head)
    {
        var bucket = await AuthorizeAsync(r, Need.Read, allowPublic: true);
        var opened = await _store.OpenObjectAsync(bucket.Name, r.Key, r.Context.RequestAborted);
        if (opened is not { } found || (r.Caller is null && !bucket.PublicRead && !found.Record.Headers.PublicRead))
        {
            if (opened is { } denied)
            {
                await denied.Stream.DisposeAsync();
                throw S3Exception.AccessDenied();
            }

            throw r.Caller is null && !bucket.PublicRead ? S3Exception.AccessDenied() : S3Exception.NoSuchKey(r.Key);
        }

        await using var stream = found.Stream;
        var record = found.Record;
        var response = r.Context.Response;
        var condition = Conditions.Evaluate(record, r.Header("If-Match"), r.Header("If-None-Match"), r.Header("If-Modified-Since"), r.Header("If-Unmodified-Since"));
        if (condition == 304)
        {
            response.Headers.ETag = record.QuotedETag;
            response.Headers.LastModified = record.HttpLastModified;
            response.StatusCode = 304;
            return;
        }

        if (condition == 412)
        {
            throw S3Exception.PreconditionFailed(r.Header("If-Match") is not null ? "If-Match" : "If-Unmodified-Since");
        }

        ByteRange? range;
        if (r.Query.TryGetValue("partNumber", out var partText))
        {
            if (!int.TryParse(partText, NumberStyles.None, CultureInfo.InvariantCulture, out var part) || part < 1)
            {
                throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", partText);
            }

            if (record.PartsCount is not null || part != 1)
            {
                throw S3Exception.NotImplemented("GET by partNumber of a multipart object (use a Range)");
            }

            range = null;
        }
        else
        {
            range = ByteRange.Parse(r.Header("Range"), record.Size);
        }

        WriteObjectHeaders(r, record, includeChecksums: range is null && string.Equals(r.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase));
        response.ContentLength = range?.Length ?? record.Size;
        if (range is { } partial)
        {
            response.StatusCode = 206;
            response.Headers.ContentRange = partial.ContentRange(record.Size);
        }

        if (head)
        {
            return;
        }

        var (start, length) = (range?.Start ?? 0, range?.Length ?? record.Size);
        if (stream is MemoryStream small && small.TryGetBuffer(out var bytes))
        {
            await response.Body.WriteAsync(bytes.AsMemory((int)start, (int)length), r.Context.RequestAborted);
            return;
        }

        await CopyRangeAsync(stream, response.Body, start, length, r.Context.RequestAborted);
    }

    private void WriteObjectHeaders(S3Request r, ObjectRecord record, bool includeChecksums)
    {
        var headers = r.Context.Response.Headers;
        var stored = record.Headers;
        headers.ETag = record.QuotedETag;
        headers.LastModified = record.HttpLastModified;
        headers.AcceptRanges = "bytes";
        headers.ContentType = stored.ContentType ?? DefaultContentType;
        Set("Content-Encoding", stored.ContentEncoding);
        Set("Cache-Control", stored.CacheControl);
        Set("Content-Disposition", stored.ContentDisposition);
        Set("Content-Language", stored.ContentLanguage);
        Set("Expires", stored.Expires);
        foreach (var (name, value) in stored.Metadata)
        {
            headers["x-amz-meta-" + name] = value;
        }

        if (record.PartsCount is { } parts)
        {
            headers["x-amz-mp-parts-count"] = parts.ToString(CultureInfo.InvariantCulture);
        }

        if (includeChecksums)
        {
            foreach (var (algorithm, value) in record.Checksums)
            {
                headers[algorithm.HeaderName()] = value;
            }

            if (record.Checksums.Count > 0)
            {
                headers["x-amz-checksum-type"] = "FULL_OBJECT";
            }
        }

        if (r.Caller is not null)
        {
            foreach (var (query, header) in ResponseOverrides)
            {
                if (r.Query.TryGetValue(query, out var value))
                {
                    headers[header] = value;
                }
            }
        }

        void Set(string name, string? value)
        {
            if (value is not null)
            {
                headers[name] = value;
            }
        }
    }

    private static async Task CopyRangeAsync(Stream source, Stream destination, long start, long length, CancellationToken cancellationToken)
    {
        if (start > 0)
        {
            source.Seek(start, SeekOrigin.Begin);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (length > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PutObjectAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        CheckSize(r);
        var (algorithms, verify) = IntegrityChecks(r);
        var record = await _store.WriteObjectAsync(new ObjectWrite
        {
            Bucket = bucket.Name,
            Key = r.Key,
            Headers = HeadersFrom(r),
            StoredChecksums = algorithms,
            Verify = verify,
            Precondition = Conditions.ForWrite(r.Header("If-Match"), r.Header("If-None-Match"), r.Key),
        }, r.Body, r.Context.RequestAborted);
        r.Context.Response.Headers.ETag = Quote(record.ETag);
        foreach (var (algorithm, value) in record.Checksums)
        {
            r.Context.Response.Headers[algorithm.HeaderName()] = value;
        }
    }

    private void CheckSize(S3Request r)
    {
        var declared = long.TryParse(r.Header("x-amz-decoded-content-length"), NumberStyles.None, CultureInfo.InvariantCulture, out var decoded) ? decoded : r.Http.ContentLength;
        if (declared > _options.MaxObjectSize)
        {
            throw S3Exception.EntityTooLarge();
        }
    }

    /// <summary>
    /// What the body must hash to: <c>Content-MD5</c>, <c>x-amz-checksum-*</c> headers, and checksums announced in
    /// <c>x-amz-trailer</c> that arrive after the body. Checked before the object is committed.
    /// </summary>
    private static (IReadOnlyCollection<ChecksumAlgorithm> Algorithms, Action<WrittenContent> Verify) IntegrityChecks(S3Request r)
    {
        byte[]? md5 = null;
        if (r.Header("Content-MD5") is { } md5Header)
        {
            try
            {
                md5 = Convert.FromBase64String(md5Header.Trim());
            }
            catch (FormatException)
            {
                throw S3Exception.InvalidDigest();
            }

            if (md5.Length != 16)
            {
                throw S3Exception.InvalidDigest();
            }
        }

        var expected = Checksums.All.Where(a => r.Header(a.HeaderName()) is not null).ToDictionary(a => a, a => r.Header(a.HeaderName())!.Trim());
        var trailing = (r.Header("x-amz-trailer") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => Checksums.All.FirstOrDefault(a => string.Equals(a.HeaderName(), t, StringComparison.OrdinalIgnoreCase), (ChecksumAlgorithm)(-1)))
            .Where(a => (int)a >= 0).ToList();
        var algorithms = expected.Keys.Concat(trailing).ToHashSet();
        if (Checksums.Parse(r.Header("x-amz-sdk-checksum-algorithm")) is { } requested)
        {
            algorithms.Add(requested);
        }

        return (algorithms, content =>
        {
            if (md5 is not null && !CryptographicOperations.FixedTimeEquals(md5, content.Md5))
            {
                throw S3Exception.BadDigest();
            }

            foreach (var (algorithm, value) in expected)
            {
                Compare(algorithm, value, content);
            }

            foreach (var algorithm in trailing)
            {
                var value = r.Chunked?.Trailers.GetValueOrDefault(algorithm.HeaderName())
                    ?? throw new S3Exception(400, "MalformedTrailerError", $"The request declared the trailer {algorithm.HeaderName()} but did not send it.");
                Compare(algorithm, value, content);
            }
        });

        static void Compare(ChecksumAlgorithm algorithm, string value, WrittenContent content)
        {
            if (content.Checksums.GetValueOrDefault(algorithm) != value)
            {
                throw S3Exception.BadDigest($"The {algorithm.Name().ToUpperInvariant()} you specified did not match the calculated checksum.");
            }
        }
    }

    private async Task DeleteObjectAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        if (r.Header("If-Match") is { } ifMatch)
        {
            var current = await _store.GetObjectAsync(bucket.Name, r.Key, r.Context.RequestAborted) ?? throw S3Exception.NoSuchKey(r.Key);
            if (!Conditions.Matches(ifMatch, current.ETag))
            {
                throw S3Exception.PreconditionFailed("If-Match");
            }
        }

        await _store.DeleteObjectAsync(bucket.Name, r.Key, r.Context.RequestAborted);
        r.Context.Response.StatusCode = 204;
    }

    private async Task DeleteObjectsAsync(S3Request r)
    {
        var bucket = await AuthorizeAsync(r, Need.Write);
        var (algorithms, verify) = IntegrityChecks(r);
        using var buffered = new MemoryStream();
        await r.Body.CopyToAsync(buffered, r.Context.RequestAborted);
        verify(Digest(buffered.ToArray(), algorithms));
        buffered.Position = 0;
        var document = await ReadAsync(buffered, r.Context.RequestAborted);
        var quiet = string.Equals(document.ChildValue("Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var keys = document.Children("Object").Select(o => o.ChildValue("Key")).ToList();
        if (keys.Count is 0 or > 1000 || keys.Any(k => k is null))
        {
            throw S3Exception.MalformedXml();
        }

        var results = new List<System.Xml.Linq.XElement>();
        foreach (var key in keys)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(key!) > 1024)
            {
                results.Add(E("Error", E("Key", key), E("Code", "KeyTooLongError"), E("Message", "Your key is too long")));
                continue;
            }

            await _store.DeleteObjectAsync(bucket.Name, key!, r.Context.RequestAborted);
            if (!quiet)
            {
                results.Add(E("Deleted", E("Key", key)));
            }
        }

        await WriteAsync(r.Context, E("DeleteResult", results));
    }

    private static WrittenContent Digest(byte[] bytes, IReadOnlyCollection<ChecksumAlgorithm> algorithms)
    {
#pragma warning disable CA5351 // Content-MD5 is S3's integrity check, not a security control.
        var md5 = MD5.HashData(bytes);
#pragma warning restore CA5351
        return new WrittenContent(bytes.Length, md5, algorithms.ToDictionary(a => a, a =>
        {
            var checksum = Checksums.Create(a);
            checksum.Append(bytes);
            return checksum.FinishBase64();
        }));
    }

    private async Task CopyObjectAsync(S3Request r)
    {
        var (source, sourceStream) = await OpenCopySourceAsync(r);
        await using var _ = sourceStream;
        var bucket = await AuthorizeAsync(r, Need.Write);
        CheckCopyConditions(r, source);
        var replace = string.Equals(r.Header("x-amz-metadata-directive"), "REPLACE", StringComparison.OrdinalIgnoreCase);
        if (!replace && source.Bucket == bucket.Name && source.Key == r.Key && r.Header("x-amz-acl") is null)
        {
            throw S3Exception.InvalidRequest(
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        var headers = replace ? HeadersFrom(r) : source.Headers with { PublicRead = r.Header("x-amz-acl") is null ? source.Headers.PublicRead : IsPublicAcl(r) };
        var record = await _store.WriteObjectAsync(new ObjectWrite
        {
            Bucket = bucket.Name,
            Key = r.Key,
            Headers = headers,
            StoredChecksums = source.Checksums.Keys.ToList(),
            Precondition = Conditions.ForWrite(r.Header("If-Match"), r.Header("If-None-Match"), r.Key),
        }, sourceStream, r.Context.RequestAborted);
        await WriteAsync(r.Context, E("CopyObjectResult", E("LastModified", Time(record.LastModified)), E("ETag", Quote(record.ETag)),
            record.Checksums.Select(c => E(c.Key.XmlName(), c.Value))));
    }

    /// <summary>The object <c>x-amz-copy-source</c> names (<c>/bucket/key</c>, URL-encoded), if the caller may read it.</summary>
    private async Task<(ObjectRecord Record, Stream Stream)> OpenCopySourceAsync(S3Request r)
    {
        var header = r.Header("x-amz-copy-source")!;
        var question = header.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            var version = header[(question + 1)..];
            if (version.StartsWith("versionId=", StringComparison.Ordinal) && version["versionId=".Length..] is not ("null" or ""))
            {
                throw S3Exception.NotImplemented("copying a specific version (buckets are unversioned)");
            }

            header = header[..question];
        }

        var path = PercentDecoding.Decode(header).TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw S3Exception.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-copy-source", header);
        }

        var sourceBucket = path[..slash];
        var sourceKey = path[(slash + 1)..];
        var bucket = await _store.GetBucketAsync(sourceBucket, r.Context.RequestAborted) ?? throw S3Exception.NoSuchBucket(sourceBucket);
        if (r.Caller is not { } caller || bucket.Owner != caller.Account || !caller.CanReach(bucket.Name))
        {
            throw S3Exception.AccessDenied();
        }

        return await _store.OpenObjectAsync(sourceBucket, sourceKey, r.Context.RequestAborted) ?? throw S3Exception.NoSuchKey(sourceKey);
    }

    private static void CheckCopyConditions(S3Request r, ObjectRecord source)
    {
        var result = Conditions.Evaluate(source, r.Header("x-amz-copy-source-if-match"), r.Header("x-amz-copy-source-if-none-match"),
            r.Header("x-amz-copy-source-if-modified-since"), r.Header("x-amz-copy-source-if-unmodified-since"));
        if (result is not null)
        {
            throw S3Exception.PreconditionFailed(result == 304 ? "x-amz-copy-source-If-None-Match" : "x-amz-copy-source-If-Match");
        }
    }
}
