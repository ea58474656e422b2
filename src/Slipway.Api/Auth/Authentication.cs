using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Api.Http;
using Slipway.Core.Accounts;
using Slipway.Core.Errors;
using Slipway.Data.Accounts;

namespace Slipway.Api.Auth;

/// <summary>Resolves <c>Authorization: Bearer &lt;token&gt;</c> (or Basic with the token as password, as git and Heroku's netrc send it).</summary>
public sealed class Authentication(RequestDelegate next, TimeProvider time)
{
    private const string AccountKey = "slipway.account";

    /// <summary>Free endpoints: reading the budget does not spend it.</summary>
    private const string RateLimitsPath = "/account/rate-limits";

    private readonly RateLimiter _rateLimits = new(time);

    /// <summary>Paths reachable without a token: health, login, and capability URLs that carry their own signature.</summary>
    private static readonly string[] PublicPrefixes = ["/healthz", "/oauth/authorizations", "/streams/", Git.GitEndpoints.HookPrefix];

    public async Task InvokeAsync(HttpContext context, AccountRepository accounts)
    {
        var path = context.Request.Path.Value ?? "";
        if (PublicPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            await next(context);
            return;
        }

        var token = TokenFrom(context.Request);
        var account = token is null ? null : await accounts.FindByTokenHashAsync(Secrets.HashToken(token), context.RequestAborted);
        if (account is null)
        {
            // git only answers a Basic challenge (then sends the token as password from its credential helper or the URL).
            context.Response.Headers.WWWAuthenticate = Git.GitEndpoints.IsGitPath(path) ? "Basic realm=\"Slipway\"" : "Bearer realm=\"slipway\"";
            await ApiErrors.WriteAsync(context, 401, "unauthorized", "Invalid credentials provided.");
            return;
        }

        var remaining = path == RateLimitsPath ? _rateLimits.Remaining(account.Id) : _rateLimits.Take(account.Id);
        context.Response.Headers["RateLimit-Remaining"] = Math.Max(remaining, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (remaining < 0)
        {
            await ApiErrors.WriteAsync(context, 429, "rate_limit", "Your account reached the API rate limit. Wait a minute and try again (the budget refills at 75 calls a minute).");
            return;
        }

        context.Items[AccountKey] = account;
        context.Items[RemainingKey] = Math.Max(remaining, 0);
        await next(context);
    }

    private const string RemainingKey = "slipway.rate-limit-remaining";

    /// <summary>The caller's rate-limit budget as counted for this request.</summary>
    public static int RemainingOf(HttpContext context) => context.Items[RemainingKey] as int? ?? RateLimiter.Capacity;

    public static Account AccountOf(HttpContext context) =>
        context.Items[AccountKey] as Account ?? throw new PlatformException(401, "unauthorized", "Invalid credentials provided.");

    private static string? TokenFrom(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Parameter is null)
        {
            return null;
        }

        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return header.Parameter;
        }

        if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && BasicCredentials(header.Parameter) is { } basic)
        {
            return basic.Password;
        }

        return null;
    }

    public static (string User, string Password)? BasicCredentials(string parameter)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
