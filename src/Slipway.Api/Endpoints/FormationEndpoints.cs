using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Http;
using Slipway.Core.Dynos;
using Slipway.Core.Errors;
using Slipway.Data.Apps;
using Slipway.Data.Releases;
using Slipway.Runtime.Releases;

namespace Slipway.Api.Endpoints;

internal static class FormationEndpoints
{
    public static void MapFormation(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/apps/{app}/formation", async (HttpContext context, string app, AppRepository apps, ReleaseRepository releases) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            return Results.Json((await releases.GetFormationAsync(found.Id, context.RequestAborted)).Select(f => Resources.Formation(f, found)));
        });

        routes.MapGet("/apps/{app}/formation/{type}", async (HttpContext context, string app, string type, AppRepository apps, ReleaseRepository releases) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var entry = (await releases.GetFormationAsync(found.Id, context.RequestAborted)).FirstOrDefault(f => f.Type == type)
                ?? throw PlatformException.NotFound($"Couldn't find that process type ({type}).");
            return Results.Json(Resources.Formation(entry, found));
        });

        routes.MapMethods("/apps/{app}/formation", ["PATCH"], async (HttpContext context, string app, AppRepository apps, ReleaseService releases) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            if (!body.TryGetProperty("updates", out var updates) || updates.ValueKind != JsonValueKind.Array)
            {
                throw PlatformException.Invalid("Send {\"updates\": [{\"type\": \"web\", \"quantity\": 2}]}.");
            }

            var parsed = updates.EnumerateArray().Select(u => ParseUpdate(u, u.String("type"))).ToList();
            var changed = await releases.ScaleAsync(found, parsed, account, context.RequestAborted);
            return Results.Json(changed.Select(f => Resources.Formation(f, found)));
        });

        routes.MapMethods("/apps/{app}/formation/{type}", ["PATCH"], async (HttpContext context, string app, string type, AppRepository apps, ReleaseService releases) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var changed = await releases.ScaleAsync(found, [ParseUpdate(body, type)], account, context.RequestAborted);
            return Results.Json(Resources.Formation(changed[0], found));
        });
    }

    /// <summary>Quantity may be a number or a string (the heroku CLI sends <c>"2"</c>, <c>"+1"</c>, <c>"-1"</c>); size by Heroku name.</summary>
    private static FormationUpdate ParseUpdate(JsonElement update, string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            throw PlatformException.Invalid("Each update needs a process type: {\"type\": \"web\"}.");
        }

        QuantityChange? quantity = null;
        if (update.TryGetProperty("quantity", out var q))
        {
            quantity = q.ValueKind switch
            {
                JsonValueKind.Number when q.TryGetInt32(out var n) && n >= 0 => new QuantityChange(n, Relative: false),
                JsonValueKind.String when q.GetString() is { } s && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    && (n >= 0 || s.StartsWith('-')) => new QuantityChange(n, Relative: s.StartsWith('+') || s.StartsWith('-')),
                _ => throw PlatformException.Invalid($"Invalid quantity for {type}: use a non-negative number, or \"+N\"/\"-N\"."),
            };
        }

        string? size = null;
        if ((update.String("size") ?? update.Object("dyno_size")?.String("name")) is { } sizeName)
        {
            size = DynoSize.Find(sizeName)?.Name
                ?? throw PlatformException.Invalid($"Unknown dyno size \"{sizeName}\". Sizes: {string.Join(", ", DynoSize.All.Select(s => s.Name))}.");
        }

        return quantity is null && size is null
            ? throw PlatformException.Invalid($"Nothing to change for {type}: give a quantity and/or a size.")
            : new FormationUpdate(type, quantity, size);
    }
}
