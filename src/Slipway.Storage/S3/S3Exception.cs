namespace Slipway.Storage.S3;

/// <summary>An S3 error: answered as S3's error XML with the code's status. <see cref="Details"/> become extra elements.</summary>
public sealed class S3Exception(int status, string code, string message, IReadOnlyList<KeyValuePair<string, string>>? details = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IReadOnlyList<KeyValuePair<string, string>> Details { get; } = details ?? [];

    public static S3Exception AccessDenied(string message = "Access Denied") => new(403, "AccessDenied", message);

    public static S3Exception NoSuchBucket(string bucket) =>
        new(404, "NoSuchBucket", "The specified bucket does not exist", [new("BucketName", bucket)]);

    public static S3Exception NoSuchKey(string key) => new(404, "NoSuchKey", "The specified key does not exist.", [new("Key", key)]);

    public static S3Exception NoSuchUpload(string uploadId) => new(404, "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", [new("UploadId", uploadId)]);

    public static S3Exception InvalidArgument(string message, string? name = null, string? value = null) => new(400, "InvalidArgument", message,
        name is null ? null : [new("ArgumentName", name), new("ArgumentValue", value ?? "")]);

    public static S3Exception InvalidRequest(string message) => new(400, "InvalidRequest", message);

    public static S3Exception MalformedXml() =>
        new(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

    public static S3Exception NotImplemented(string what) =>
        new(501, "NotImplemented", $"A header or query you provided implies functionality that is not implemented: {what}.");

    public static S3Exception PreconditionFailed(string condition) =>
        new(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", [new("Condition", condition)]);

    public static S3Exception MethodNotAllowed(string method, string resource) => new(405, "MethodNotAllowed",
        "The specified method is not allowed against this resource.", [new("Method", method), new("ResourceType", resource)]);

    public static S3Exception BadDigest(string message = "The Content-MD5 you specified did not match what we received.") => new(400, "BadDigest", message);

    public static S3Exception InvalidDigest() => new(400, "InvalidDigest", "The Content-MD5 you specified was not valid.");

    public static S3Exception EntityTooSmall() => new(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");

    public static S3Exception EntityTooLarge() => new(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");

    public static S3Exception InvalidPart() => new(400, "InvalidPart",
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");

    public static S3Exception InvalidPartOrder() =>
        new(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");

    public static S3Exception InvalidBucketName(string bucket) =>
        new(400, "InvalidBucketName", "The specified bucket is not valid.", [new("BucketName", bucket)]);

    public static S3Exception KeyTooLong() => new(400, "KeyTooLongError", "Your key is too long");
}
