using System.CommandLine;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Auth;

/// <summary><c>accounts:verify EMAIL</c> (admin): stands in for Heroku's card verification, raising the free pool to 1000 hours.</summary>
internal static class AccountsVerifyCommand
{
    public static Command Create(CliContext context)
    {
        var email = new Argument<string>("EMAIL") { Description = "The account to verify" };
        var command = new Command("accounts:verify", "Verify an account (admin): its free dyno-hour pool grows to 1000 hours") { email };
        command.SetAction(async (parse, ct) =>
        {
            var who = parse.GetValue(email)!;
            await context.Ui.ActionAsync($"Verifying {who}",
                () => context.Api.SendAsync(HttpMethod.Post, $"accounts/{PlatformClient.Escape(who)}/actions/verify", new { verified = true }, ct));
        });
        return command;
    }
}
