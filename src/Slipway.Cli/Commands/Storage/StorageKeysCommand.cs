using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Storage;

internal static class StorageKeysCommand
{
    public static Command Create(CliContext context)
    {
        var json = CommonOptions.Json();
        var command = new Command("storage:keys", "List your object storage access keys (secrets are shown only when a key is created)") { json };
        command.SetAction(async (parse, ct) =>
        {
            var keys = await context.Api.GetAsync("storage/keys", ct);
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(keys));
                return;
            }

            var rows = keys.EnumerateArray().Select(k => new[]
            {
                k.GetProperty("access_key_id").GetString() ?? "",
                k.GetProperty("bucket").ValueKind == JsonValueKind.String ? k.GetProperty("bucket").GetString()! : "(all your buckets)",
                k.GetProperty("read_only").GetBoolean() ? "read-only" : "read-write",
                k.GetProperty("created_at").GetString() ?? "",
                k.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "",
            }).ToList();
            if (rows.Count == 0)
            {
                context.Ui.Line("You have no storage access keys. Create one with `slipway storage:keys:create`.");
                return;
            }

            context.Ui.Header("Storage Access Keys");
            context.Ui.Columns([["Access Key ID", "Bucket", "Access", "Created", "Description"], .. rows]);
        });
        return command;
    }
}
