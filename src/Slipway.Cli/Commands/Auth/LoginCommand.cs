using System.CommandLine;
using System.Net;
using Slipway.Cli.Api;
using Slipway.Cli.Config;

namespace Slipway.Cli.Commands.Auth;

internal static class LoginCommand
{
    private static readonly string[] GlobalScope = ["global"];

    public static Command Create(CliContext context)
    {
        var email = new Option<string>("--email", "-e") { Description = "Account email (else prompted, or the first line of stdin)" };
        var password = new Option<string>("--password", "-p") { Description = "Account password (else prompted, or the next line of stdin)" };
        var command = new Command("login", "Log in with your email and password; saves an API token in ~/.netrc for the API and for git") { email, password };
        command.SetAction(async (parse, ct) =>
        {
            var user = parse.GetValue(email) ?? Prompt.Ask(context, "Email: ");
            if (string.IsNullOrWhiteSpace(user))
                throw new UsageException("An email is required. Use --email EMAIL or type it when asked.");
            var secret = parse.GetValue(password) ?? Prompt.Ask(context, "Password: ", secret: true);
            if (string.IsNullOrEmpty(secret))
                throw new UsageException("A password is required. Use --password or type it when asked.");

            var body = new
            {
                scope = GlobalScope,
                description = $"slipway CLI login from {Environment.MachineName}",
            };
            OAuthAuthorization authorization;
            try
            {
                authorization = ApiJson.Read<OAuthAuthorization>(await context.Api.SendAsync(
                    HttpMethod.Post, "oauth/authorizations", body, ct, basicAuth: $"{user}:{secret}"));
            }
            catch (ApiException e) when (e.Status == HttpStatusCode.Unauthorized)
            {
                throw new CliException("Invalid email or password.", "unauthorized");
            }
            var token = authorization.AccessToken?.Token
                ?? throw new CliException("The API did not return an access token.");
            var login = authorization.User?.Email ?? user;

            var path = context.NetrcPath ?? throw new CliException("HOME is not set, so there is no ~/.netrc to save the token in.");
            var netrc = Netrc.Load(path);
            netrc.Set(context.NetrcMachine, login, token);
            netrc.Set(context.GitNetrcMachine, login, token); // so that `git push` to the app's git_url needs no password
            netrc.Save(path);
            context.Ui.Line($"Logged in as {login}");
        });
        return command;
    }
}
