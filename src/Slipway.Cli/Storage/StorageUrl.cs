namespace Slipway.Cli.Storage;

/// <summary>An object store address as <c>s3://bucket/key</c>; the key may be empty or a prefix.</summary>
internal sealed record StorageUrl(string Bucket, string Key)
{
    public const string Scheme = "s3://";

    public static bool IsS3(string text) => text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static StorageUrl Parse(string text)
    {
        if (!IsS3(text))
            throw new UsageException($"'{text}' is not an object store address. Write it as s3://BUCKET/KEY.");
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
            throw new UsageException($"'{text}' names no bucket. Write it as s3://BUCKET/KEY.");
        return new StorageUrl(bucket, slash < 0 ? "" : rest[(slash + 1)..]);
    }

    /// <summary>The key's last segment, the file name a download gets by default.</summary>
    public string FileName => Key[(Key.LastIndexOf('/') + 1)..];

    public override string ToString() => $"{Scheme}{Bucket}/{Key}";
}
