using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Http;
using Slipway.Core.Errors;
using Slipway.Data.Apps;
using Slipway.Data.Releases;
using Slipway.Runtime.Releases;

namespace Slipway.Api.Endpoints;

internal static partial class ConfigEndpoints
{
    public static void MapConfig(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/apps/{app}/config-vars", async (HttpContext context, string app, AppRepository apps, ReleaseRepository releases) =>
            Results.Json(await releases.GetConfigAsync((await context.OwnAppAsync(apps, app)).App.Id, context.RequestAborted)));

        routes.MapGet("/apps/{app}/releases/{release}/config-vars", async (HttpContext context, string app, string release, AppRepository apps, ReleaseRepository releases) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var target = await releases.FindAsync(found.Id, release, context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that release.");
            return Results.Json(target.Config);
        });

        // Merges: a string sets the var, null removes it; the new release exists before the response is sent.
        routes.MapMethods("/apps/{app}/config-vars", ["PATCH"], async (HttpContext context, string app, AppRepository apps, ReleaseService releases) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in body.EnumerateObject())
            {
                if (!KeyRegex().IsMatch(property.Name))
                {
                    throw PlatformException.Invalid($"Invalid config var name \"{property.Name}\": use only letters, digits and underscores.");
                }

                changes[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => throw PlatformException.Invalid($"Config var {property.Name} must be a string or null."),
                };
            }

            var (config, _) = await releases.ChangeConfigAsync(found, changes, account, cancellationToken: context.RequestAborted);
            return Results.Json(config);
        });
    }

    [GeneratedRegex(@"^\w+$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyRegex();
}
