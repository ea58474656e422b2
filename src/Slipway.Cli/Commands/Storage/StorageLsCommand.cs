using System.CommandLine;
using System.Globalization;
using Amazon.S3.Model;
using Slipway.Cli.Storage;

namespace Slipway.Cli.Commands.Storage;

internal static class StorageLsCommand
{
    public static Command Create(CliContext context)
    {
        var location = new Argument<string?>("S3_URL") { Arity = ArgumentArity.ZeroOrOne, Description = "s3://BUCKET/PREFIX to list (default: the app's bucket, or your buckets)" };
        var app = StorageOptions.App();
        var recursive = new Option<bool>("--recursive", "-r") { Description = "List every key under the prefix instead of stopping at the next /" };
        var command = new Command("storage:ls", "List buckets, or the objects under s3://BUCKET/PREFIX") { location, app, recursive };
        command.SetAction(async (parse, ct) =>
        {
            var access = await StorageAccess.ResolveAsync(context, parse.GetValue(app), ct);
            using var s3 = StorageClient.Create(access);
            var text = parse.GetValue(location);
            if (text is null && access.AppBucket is null)
            {
                var buckets = await StorageClient.RunAsync(access, "s3://", () => s3.ListBucketsAsync(ct));
                foreach (var bucket in buckets.Buckets ?? [])
                    context.Ui.Line($"{Time(bucket.CreationDate)}  {StorageUrl.Scheme}{bucket.BucketName}");
                return;
            }

            var where = text is null ? new StorageUrl(access.AppBucket!, "") : StorageUrl.Parse(text);
            var request = new ListObjectsV2Request { BucketName = where.Bucket, Prefix = where.Key, Delimiter = parse.GetValue(recursive) ? null : "/" };
            var rows = new List<string[]>();
            ListObjectsV2Response page;
            do
            {
                page = await StorageClient.RunAsync(access, where.ToString(), () => s3.ListObjectsV2Async(request, ct));
                rows.AddRange((page.CommonPrefixes ?? []).Select(p => new[] { "", "PRE", p }));
                rows.AddRange((page.S3Objects ?? []).Select(o => new[] { Time(o.LastModified), (o.Size ?? 0).ToString(CultureInfo.InvariantCulture), o.Key }));
                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);

            if (rows.Count == 0)
            {
                context.Ui.Line($"No objects under {where}.");
                return;
            }

            context.Ui.Columns([.. rows.OrderBy(r => r[2], StringComparer.Ordinal)]);
        });
        return command;
    }

    private static string Time(DateTime? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";
}
