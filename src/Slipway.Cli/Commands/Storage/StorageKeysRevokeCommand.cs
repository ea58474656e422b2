using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Storage;

internal static class StorageKeysRevokeCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("ACCESS_KEY_ID") { Description = "The key to revoke" };
        var command = new Command("storage:keys:revoke", "Revoke an object storage access key; requests signed with it fail at once") { id };
        command.SetAction(async (parse, ct) =>
        {
            var key = parse.GetValue(id)!;
            await context.Ui.ActionAsync($"Revoking access key {key}",
                () => context.Api.SendAsync(HttpMethod.Delete, $"storage/keys/{PlatformClient.Escape(key)}", null, ct));
        });
        return command;
    }
}
