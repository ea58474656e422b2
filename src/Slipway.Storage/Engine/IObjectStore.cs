namespace Slipway.Storage.Engine;

/// <summary>Durable object storage: a put is acknowledged only after its bytes and its index entry are on disk.</summary>
public interface IObjectStore
{
    /// <summary>Writes the object durably (small ones in the index, larger ones as fsynced data files), replacing any previous version.</summary>
    Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? contentType = null, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default);

    Task<StoredObject?> HeadAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>Returns true when an object was deleted.</summary>
    Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default);
}

/// <summary>What the store knows of an object. <see cref="ETag"/> is the hex MD5 of its bytes, as S3 computes it.</summary>
public sealed record StoredObject(string Bucket, string Key, long Size, string ETag, string? ContentType, DateTimeOffset LastModified);

/// <summary>The platform's own buckets.</summary>
public static class PlatformBuckets
{
    public const string Sources = "slipway-sources";
    public const string Slugs = "slipway-slugs";
}
