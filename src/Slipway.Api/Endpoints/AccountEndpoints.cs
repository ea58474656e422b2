using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Accounts;
using Slipway.Core.Errors;
using Slipway.Data;
using Slipway.Data.Accounts;

namespace Slipway.Api.Endpoints;

internal static class AccountEndpoints
{
    private static readonly string[] GlobalScope = ["global"];

    public static void MapAccounts(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/account", (HttpContext context) => Results.Json(Resources.Account(Authentication.AccountOf(context))));

        // Admin-only: there is no public sign-up on a self-hosted platform.
        routes.MapPost("/accounts", async (HttpContext context, AccountRepository accounts) =>
        {
            var caller = Authentication.AccountOf(context);
            if (!caller.IsAdmin)
            {
                throw PlatformException.Forbidden("Only an admin can create accounts. Ask your platform's admin.");
            }

            var body = await RequestBody.ReadAsync(context.Request);
            var email = body.String("email")?.Trim();
            if (string.IsNullOrEmpty(email) || !email.Contains('@', StringComparison.Ordinal))
            {
                throw PlatformException.Invalid("A valid email is required: {\"email\": \"dev@example.com\"}.");
            }

            var password = body.String("password");
            var generated = string.IsNullOrEmpty(password);
            password = generated ? Secrets.NewPassword() : password!;
            try
            {
                var account = await accounts.CreateAsync(email, body.String("name"), Secrets.HashPassword(password), isAdmin: false, context.RequestAborted);
                var resource = System.Text.Json.JsonSerializer.SerializeToNode(Resources.Account(account))!.AsObject();
                if (generated)
                {
                    resource["password"] = password; // shown once, never stored in clear
                }

                return Results.Json(resource, statusCode: 201);
            }
            catch (DuplicateException e)
            {
                throw PlatformException.Invalid(e.Message);
            }
        });

        // Heroku's `login -i`: Basic email:password in, a new API token out.
        routes.MapPost("/oauth/authorizations", async (HttpContext context, AccountRepository accounts) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var credentials = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? Authentication.BasicCredentials(header[6..].Trim()) : null;
            var account = credentials is { } c ? await accounts.FindByEmailAsync(c.User, context.RequestAborted) : null;
            if (account is null || !Secrets.VerifyPassword(credentials!.Value.Password, await accounts.GetPasswordHashAsync(account.Id, context.RequestAborted)))
            {
                throw new PlatformException(401, "unauthorized", "Invalid credentials provided. Check the email and password.");
            }

            var body = await RequestBody.ReadAsync(context.Request);
            var token = Secrets.NewToken();
            var description = body.String("description") ?? "slipway login";
            await accounts.AddTokenAsync(account.Id, Secrets.HashToken(token), description, context.RequestAborted);
            await accounts.RecordLoginAsync(account.Id, context.RequestAborted);
            var now = Resources.Time(DateTimeOffset.UtcNow);
            return Results.Json(new
            {
                id = Guid.NewGuid().ToString(),
                description,
                scope = GlobalScope,
                access_token = new { id = Guid.NewGuid().ToString(), token, expires_in = (int?)null },
                user = new { id = account.Id, email = account.Email, full_name = account.Name },
                created_at = now,
                updated_at = now,
            }, statusCode: 201);
        });
    }
}
