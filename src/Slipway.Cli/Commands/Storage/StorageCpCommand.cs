using System.CommandLine;
using Amazon.S3;
using Amazon.S3.Transfer;
using Slipway.Cli.Storage;

namespace Slipway.Cli.Commands.Storage;

internal static class StorageCpCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Argument<string>("SOURCE") { Description = "A local file, or s3://BUCKET/KEY" };
        var target = new Argument<string>("TARGET") { Description = "s3://BUCKET/KEY (or s3://BUCKET/PREFIX/ to keep the file name), or a local path" };
        var app = StorageOptions.App();
        var command = new Command("storage:cp", "Copy a local file to the object store or an object to a local file (large files go in parts)") { source, target, app };
        command.SetAction(async (parse, ct) =>
        {
            var (from, to) = (parse.GetValue(source)!, parse.GetValue(target)!);
            if (StorageUrl.IsS3(from) == StorageUrl.IsS3(to))
                throw new UsageException("storage:cp copies between a local file and the object store: exactly one of SOURCE and TARGET must be s3://BUCKET/KEY.");
            var access = await StorageAccess.ResolveAsync(context, parse.GetValue(app), ct);
            using var s3 = StorageClient.Create(access);
            if (StorageUrl.IsS3(to))
                await UploadAsync(context, access, s3, Path.GetFullPath(from, context.WorkingDirectory), StorageUrl.Parse(to), ct);
            else
                await DownloadAsync(context, access, s3, StorageUrl.Parse(from), Path.GetFullPath(to, context.WorkingDirectory), ct);
        });
        return command;
    }

    private static async Task UploadAsync(CliContext context, StorageAccess access, AmazonS3Client s3, string file, StorageUrl target, CancellationToken ct)
    {
        if (!File.Exists(file))
            throw new UsageException(Directory.Exists(file) ? $"{file} is a directory; storage:cp copies one file." : $"{file} does not exist.");
        if (target.Key.Length == 0 || target.Key.EndsWith('/'))
            target = target with { Key = target.Key + Path.GetFileName(file) };
        var size = new FileInfo(file).Length;
        // TransferUtility streams from the file and switches to a parallel multipart upload above its threshold (16 MiB).
        using var transfer = new TransferUtility(s3);
        await context.Ui.TransferAsync($"Uploading {Path.GetFileName(file)} to {target}", size, progress =>
        {
            var request = new TransferUtilityUploadRequest { FilePath = file, BucketName = target.Bucket, Key = target.Key };
            request.UploadProgressEvent += (_, e) => progress.Report(e.TransferredBytes);
            return StorageClient.RunAsync(access, target.ToString(), async () => { await transfer.UploadAsync(request, ct); return true; });
        });
    }

    private static async Task DownloadAsync(CliContext context, StorageAccess access, AmazonS3Client s3, StorageUrl source, string path, CancellationToken ct)
    {
        if (source.Key.Length == 0 || source.Key.EndsWith('/'))
            throw new UsageException($"{source} names no object; give its whole key, e.g. {StorageUrl.Scheme}{source.Bucket}/photo.jpg.");
        if (Directory.Exists(path) || path.EndsWith(Path.DirectorySeparatorChar))
            path = Path.Combine(path, source.FileName);
        using var response = await StorageClient.RunAsync(access, source.ToString(), () => s3.GetObjectAsync(source.Bucket, source.Key, ct));
        // Written beside the target and renamed when complete, so an interrupted copy never leaves a truncated file.
        var partial = path + ".slipway-partial";
        try
        {
            await context.Ui.TransferAsync($"Downloading {source} to {Path.GetFileName(path)}", response.ContentLength, async progress =>
            {
                await using var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                var buffer = new byte[1 << 20];
                long done = 0;
                int read;
                while ((read = await response.ResponseStream.ReadAsync(buffer, ct)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    progress.Report(done += read);
                }
            });
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
