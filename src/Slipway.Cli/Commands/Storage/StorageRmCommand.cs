using System.CommandLine;
using Slipway.Cli.Storage;

namespace Slipway.Cli.Commands.Storage;

internal static class StorageRmCommand
{
    public static Command Create(CliContext context)
    {
        var location = new Argument<string>("S3_URL") { Description = "s3://BUCKET/KEY of the object to delete" };
        var app = StorageOptions.App();
        var command = new Command("storage:rm", "Delete an object from the object store") { location, app };
        command.SetAction(async (parse, ct) =>
        {
            var target = StorageUrl.Parse(parse.GetValue(location)!);
            if (target.Key.Length == 0)
                throw new UsageException($"{target} names no object; give its whole key. (Buckets go with their add-on: `slipway addons:destroy`.)");
            var access = await StorageAccess.ResolveAsync(context, parse.GetValue(app), ct);
            using var s3 = StorageClient.Create(access);
            // S3 answers a delete of a missing key with success; a person deserves to hear about the typo.
            await StorageClient.RunAsync(access, target.ToString(), () => s3.GetObjectMetadataAsync(target.Bucket, target.Key, ct));
            await context.Ui.ActionAsync($"Deleting {target}",
                () => StorageClient.RunAsync(access, target.ToString(), () => s3.DeleteObjectAsync(target.Bucket, target.Key, ct)));
        });
        return command;
    }
}
