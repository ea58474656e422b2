using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Accounts;
using Slipway.Core.Errors;
using Slipway.Core.Quota;
using Slipway.Data.Accounts;
using Slipway.Data.Apps;
using Slipway.Data.Quota;
using Slipway.Runtime.Dynos;
using Slipway.Runtime.Quota;

namespace Slipway.Api.Endpoints;

internal static class QuotaEndpoints
{
    public static void MapQuota(this IEndpointRouteBuilder routes)
    {
        // What `heroku ps` asks with Accept: …version=3.account-quotas; Slipway adds its projection and pinger findings.
        routes.MapGet("/accounts/{account}/actions/get-quota", async (HttpContext context, string account, AppRepository apps, QuotaService quota,
            DynoManager dynos, TimeProvider time) =>
        {
            var caller = Authentication.AccountOf(context);
            if (account != caller.Id && account != "~" && !account.Equals(caller.Email, StringComparison.OrdinalIgnoreCase))
            {
                throw PlatformException.NotFound("Couldn't find that account.");
            }

            var owned = await apps.ListAsync(caller.Id, context.RequestAborted);
            var requested = context.Request.Query["pool"].ToString();
            var pool = requested.Equals("eco", StringComparison.OrdinalIgnoreCase) || (requested.Length == 0 && owned.Any(a => a.ProcessTier == "eco") && !owned.Any(a => a.ProcessTier == "free"))
                ? QuotaPool.Eco
                : QuotaPool.Free;
            var quotaSize = await quota.QuotaOfAsync(caller.Id, pool, context.RequestAborted);
            var usage = quota.UsageByApp(caller.Id, pool);
            var used = usage.Values.Sum();
            var now = time.GetUtcNow();
            var tier = pool == QuotaPool.Eco ? "eco" : "free";
            var projection = QuotaProjection.For(used, quotaSize, now);
            return Results.Json(new
            {
                pool = tier,
                account_quota = (long)quotaSize.TotalSeconds,
                quota_used = (long)used,
                apps = owned.Where(a => usage.ContainsKey(a.Id) || a.ProcessTier == tier)
                    .Select(a => new { app_uuid = a.Id, app_name = a.Name, quota_used = (long)usage.GetValueOrDefault(a.Id), pinged = dynos.LooksPinged(a.Id) }),
                exhausted = quota.IsExhausted(caller.Id, pool),
                renews_at = Resources.Time(QuotaMonth.EndOf(now)),
                hours_per_day = Math.Round(projection.HoursPerDay, 2),
                runs_out_at = Resources.Time(projection.RunsOutAt),
            });
        });

        routes.MapGet("/account/quota-events", async (HttpContext context, QuotaRepository usage) =>
        {
            var caller = Authentication.AccountOf(context);
            var events = await usage.EventsAsync(caller.Id, context.RequestAborted);
            return Results.Json(events.Select(e => new { id = e.Id, pool = e.Pool.ToString().ToLowerInvariant(), month = e.Month, level = e.Level, message = e.Message, created_at = Resources.Time(e.CreatedAt) }));
        });

        // Stands in for Heroku's card verification: a verified account's free pool is 1000 hours.
        routes.MapPost("/accounts/{account}/actions/verify", async (HttpContext context, string account, AccountRepository accounts, QuotaService quota) =>
        {
            if (!Authentication.AccountOf(context).IsAdmin)
            {
                throw PlatformException.Forbidden("Only an admin can verify accounts.");
            }

            var target = (account.Contains('@', StringComparison.Ordinal) ? await accounts.FindByEmailAsync(account, context.RequestAborted) : await accounts.FindByIdAsync(account, context.RequestAborted))
                ?? throw PlatformException.NotFound("Couldn't find that account.");
            var body = await RequestBody.ReadAsync(context.Request);
            var verified = !body.TryGetProperty("verified", out var v) || v.ValueKind != System.Text.Json.JsonValueKind.False;
            Account updated = (await accounts.SetVerifiedAsync(target.Id, verified, context.RequestAborted))!;
            await quota.ReconsiderAsync(updated.Id, context.RequestAborted); // a larger pool lets apps asleep for the quota wake
            return Results.Json(Resources.Account(updated));
        });
    }
}
