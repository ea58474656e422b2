namespace Slipway.Storage.Access;

/// <summary>
/// An S3 access key of an account: account-wide (create, list and delete the account's buckets, like an S3 user) or
/// scoped to one bucket (what the storage add-on hands to an app), optionally read-only.
/// </summary>
public sealed record AccessKey(string Id, string Account, string? Bucket, bool ReadOnly, string? Description, DateTimeOffset CreatedAt)
{
    public bool CanReach(string bucket) => Bucket is null || Bucket == bucket;
}

/// <summary>A key with its secret: handed out once, at creation, and used internally for SigV4.</summary>
public sealed record AccessKeyWithSecret(AccessKey Key, string Secret);
