using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Auth;

internal static class AccountsCreateCommand
{
    public static Command Create(CliContext context)
    {
        var email = new Argument<string>("EMAIL") { Description = "Email of the new account" };
        var password = new Option<string>("--password") { Description = "Password (default: the server generates one and it is printed once)" };
        var json = CommonOptions.Json();
        var command = new Command("accounts:create", "Create an account (admin only)") { email, password, json };
        command.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(email)!;
            var body = new Dictionary<string, string> { ["email"] = address };
            if (parse.GetValue(password) is { Length: > 0 } chosen)
                body["password"] = chosen;
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(await context.Api.SendAsync(HttpMethod.Post, "accounts", body, ct)));
                return;
            }
            var created = await context.Ui.ActionAsync(
                $"Creating account {address}",
                async () => ApiJson.Read<AccountResource>(await context.Api.SendAsync(HttpMethod.Post, "accounts", body, ct)));
            if (created.Password is not null)
            {
                context.Ui.Line($"Password: {created.Password}");
                context.Ui.Line("It is shown only this once; log in with `slipway login` and keep it safe.");
            }
        });
        return command;
    }
}
