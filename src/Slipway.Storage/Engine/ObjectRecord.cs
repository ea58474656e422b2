namespace Slipway.Storage.Engine;

/// <summary>The HTTP headers S3 stores with an object and returns on GET/HEAD.</summary>
public sealed record ObjectHeaders
{
    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    public string? CacheControl { get; init; }

    public string? ContentDisposition { get; init; }

    public string? ContentLanguage { get; init; }

    public string? Expires { get; init; }

    /// <summary>Readable without credentials (the <c>public-read</c> canned ACL on the object).</summary>
    public bool PublicRead { get; init; }

    /// <summary><c>x-amz-meta-*</c>, keyed by the lower-case name without the prefix.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>What the index knows of one object.</summary>
public sealed record ObjectRecord
{
    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required long Size { get; init; }

    /// <summary>Hex MD5 of the bytes, or for a multipart object the MD5 of the parts' MD5s with <c>-N</c>, without quotes.</summary>
    public required string ETag
    {
        get;
        init
        {
            field = value;
            QuotedETag = $"\"{value}\"";
        }
    }

    public required DateTimeOffset LastModified
    {
        get;
        init
        {
            field = value;
            HttpLastModified = value.UtcDateTime.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The <c>ETag</c> header's value, formatted once per version (cached rows serve many GETs), not per request.</summary>
    public string QuotedETag { get; private init; } = "";

    /// <summary>The <c>Last-Modified</c> header's value (RFC 1123), formatted once per version.</summary>
    public string HttpLastModified { get; private init; } = "";

    /// <summary>The id of the version's bytes, a fresh one per version: a data file's name, or an inline body's id.</summary>
    public required string DataFile { get; init; }

    /// <summary>The bytes are in the index (<see cref="InlineBodies"/>), not in a data file.</summary>
    public bool Inline { get; init; }

    public required ObjectHeaders Headers { get; init; }

    /// <summary>Full-object checksums the client sent and the store verified, base64 by algorithm.</summary>
    public IReadOnlyDictionary<ChecksumAlgorithm, string> Checksums { get; init; } = new Dictionary<ChecksumAlgorithm, string>();

    public int? PartsCount { get; init; }

    public StoredObject ToStoredObject() => new(Bucket, Key, Size, ETag, Headers.ContentType, LastModified);
}

public sealed record BucketRecord(string Name, string Owner, bool PublicRead, string? Cors, DateTimeOffset CreatedAt);

/// <summary>What a finished data file turned out to be; checked before the write is committed.</summary>
public sealed record WrittenContent(long Size, byte[] Md5, IReadOnlyDictionary<ChecksumAlgorithm, string> Checksums);

/// <summary>One object write: where, with what headers, which checksums to compute, and checks made before commit.</summary>
public sealed record ObjectWrite
{
    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public ObjectHeaders Headers { get; init; } = new();

    public IReadOnlyCollection<ChecksumAlgorithm> ChecksumAlgorithms { get; init; } = [];

    /// <summary>Runs after the last byte is read and before anything is committed; throws to reject the write.</summary>
    public Action<WrittenContent>? Verify { get; init; }

    /// <summary>Runs inside the commit transaction with the current version (or null); throws to reject (conditional PUT).</summary>
    public Action<ObjectRecord?>? Precondition { get; init; }

    /// <summary>Which verified checksums to keep with the object.</summary>
    public IReadOnlyCollection<ChecksumAlgorithm> StoredChecksums { get; init; } = [];
}
