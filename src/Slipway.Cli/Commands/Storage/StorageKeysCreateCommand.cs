using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Storage;

internal static class StorageKeysCreateCommand
{
    public static Command Create(CliContext context)
    {
        var bucket = new Option<string>("--bucket", "-b") { Description = "Scope the key to this bucket (default: all your buckets, and creating new ones)", HelpName = "BUCKET" };
        var readOnly = new Option<bool>("--read-only") { Description = "The key may read and list, never write or delete" };
        var description = new Option<string>("--description", "-d") { Description = "A note to remember the key by", HelpName = "TEXT" };
        var json = new Option<bool>("--json") { Description = "Print {\"access_key_id\": …, \"secret_access_key\": …}" };
        var command = new Command("storage:keys:create", "Create an S3 access key for the object store") { bucket, readOnly, description, json };
        command.SetAction(async (parse, ct) =>
        {
            var created = await context.Api.SendAsync(HttpMethod.Post, "storage/keys",
                new { bucket = parse.GetValue(bucket), read_only = parse.GetValue(readOnly), description = parse.GetValue(description) }, ct);
            var id = created.GetProperty("access_key_id").GetString()!;
            var secret = created.GetProperty("secret_access_key").GetString()!;
            if (parse.GetValue(json))
            {
                context.Ui.Line(JsonSerializer.Serialize(new Dictionary<string, string> { ["access_key_id"] = id, ["secret_access_key"] = secret }, ApiJson.Pretty));
                return;
            }

            context.Ui.KeyValues([
                new("Access Key ID", id),
                new("Secret Access Key", secret),
                new("Bucket", parse.GetValue(bucket) ?? "(all your buckets)"),
                new("Access", parse.GetValue(readOnly) ? "read-only" : "read-write"),
            ]);
            context.Ui.Warn("The secret access key is shown only now. Store it somewhere safe.");
        });
        return command;
    }
}
