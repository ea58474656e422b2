using Amazon.Runtime;
using Amazon.S3;

namespace Slipway.Cli.Storage;

/// <summary>An S3 client for <see cref="StorageAccess"/>, and S3 errors turned into messages that say what to do.</summary>
internal static class StorageClient
{
    public static AmazonS3Client Create(StorageAccess access) =>
        new(new BasicAWSCredentials(access.AccessKeyId, access.SecretAccessKey), new AmazonS3Config
        {
            ServiceURL = access.Endpoint.ToString(),
            AuthenticationRegion = access.Region,
            ForcePathStyle = true,
            HttpClientFactory = new LoopbackHttpClientFactory(),
            Timeout = Timeout.InfiniteTimeSpan,
        });

    /// <summary>Runs one S3 operation, translating the store's errors for <paramref name="target"/>.</summary>
    public static async Task<T> RunAsync<T>(StorageAccess access, string target, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (AmazonS3Exception e)
        {
            throw new CliException(e.ErrorCode switch
            {
                "NoSuchBucket" => $"{target}: no such bucket. `slipway storage:ls` lists the buckets this key can reach.",
                "NoSuchKey" or "NotFound" => $"{target}: no such object. `slipway storage:ls` lists what is there.",
                "InvalidAccessKeyId" => $"The store does not know access key {access.AccessKeyId}: it was revoked or never existed. `slipway storage:keys` lists yours.",
                "AccessDenied" => $"{target}: access denied. The key {access.AccessKeyId} may be read-only or scoped to another bucket (see `slipway storage:keys`).",
                "SignatureDoesNotMatch" => $"The store rejected the signature of key {access.AccessKeyId}: check AWS_SECRET_ACCESS_KEY.",
                _ => $"{target}: {e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {e.Message}",
            }, e.ErrorCode);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Could not reach the object store at {access.Endpoint}: {e.Message.TrimEnd('.')}. Is slipwayd running?");
        }
    }
}
