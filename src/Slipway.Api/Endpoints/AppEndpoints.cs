using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Apps;
using Slipway.Core.Errors;
using Slipway.Core.Platform;
using Slipway.Data.Apps;
using Slipway.Data.Builds;
using Slipway.Runtime.Dynos;
using Slipway.Runtime.Releases;
using Slipway.Storage.Addons;

namespace Slipway.Api.Endpoints;

internal static class AppEndpoints
{
    private static readonly string[] Adjectives = ["calm", "brave", "quiet", "rapid", "gentle", "polar", "sunny", "misty", "amber", "lucky"];
    private static readonly string[] Nouns = ["harbor", "reef", "tide", "beacon", "anchor", "current", "lagoon", "keel", "mast", "dune"];

    public static void MapApps(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/apps", async (HttpContext context, AppRepository apps, ReleaseService releases, DynoManager dynos, BuildRepository builds, ApiOptions options) =>
        {
            var account = Authentication.AccountOf(context);
            var body = await RequestBody.ReadAsync(context.Request);
            var name = body.String("name");
            if (name is not null && !AppName.IsValid(name))
            {
                throw PlatformException.Invalid(AppName.InvalidMessage(name));
            }

            var app = await apps.CreateAsync(name ?? GenerateName(), account.Id, context.RequestAborted);
            await releases.InitialReleaseAsync(app, account, context.RequestAborted);
            dynos.Named(app.Id, app.Name);
            var state = await AppStates.ReadAsync(dynos, builds, context.RequestAborted);
            return Results.Json(Resources.App(app, options, state(app)), statusCode: 201);
        });

        routes.MapGet("/apps", ListAsync);
        routes.MapGet("/users/{user}/apps", ListAsync);

        routes.MapGet("/apps/{app}", async (HttpContext context, string app, AppRepository apps, DynoManager dynos, BuildRepository builds, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var state = await AppStates.ReadAsync(dynos, builds, context.RequestAborted);
            return Results.Json(Resources.App(found, options, state(found)));
        });

        routes.MapMethods("/apps/{app}", ["PATCH"], async (HttpContext context, string app, AppRepository apps, DynoManager dynos, BuildRepository builds, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            if (body.TryGetProperty("maintenance", out var maintenance) && maintenance.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            {
                found = await apps.SetMaintenanceAsync(found.Id, maintenance.GetBoolean(), context.RequestAborted);
                dynos.SetMaintenance(found.Id, found.Maintenance);
            }

            if (body.String("name") is { } rename && rename != found.Name)
            {
                if (!AppName.IsValid(rename))
                {
                    throw PlatformException.Invalid(AppName.InvalidMessage(rename));
                }

                found = await apps.RenameAsync(found.Id, rename, context.RequestAborted);
            }

            dynos.Named(found.Id, found.Name);
            var state = await AppStates.ReadAsync(dynos, builds, context.RequestAborted);
            return Results.Json(Resources.App(found, options, state(found)));
        });

        routes.MapDelete("/apps/{app}", async (HttpContext context, string app, AppRepository apps, DynoManager dynos, ApiOptions options, DataDirectory data, StorageAddons addons, BuildRepository builds) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            // The add-on's key goes first, so the app's dynos lose the bucket before they stop.
            if (await addons.FindForAppAsync(found.Id, context.RequestAborted) is { } addon)
            {
                await AddonEndpoints.DeprovisionAsync(context, addons, addon, found);
            }

            var state = await AppStates.ReadAsync(dynos, builds, context.RequestAborted);
            var gone = Resources.App(found, options, state(found));
            await apps.DeleteAsync(found.Id, context.RequestAborted);
            new Git.GitRepositories(data).Delete(found.Id);
            dynos.Reconcile(found.Id); // the manager sees the app gone and stops its dynos
            return Results.Json(gone);
        });
    }

    private static readonly string[] RangeFields = ["id", "name", "updated_at"];

    /// <summary>The caller's apps, paged by <c>Range</c> (the heroku CLI follows <c>Next-Range</c> and concatenates).</summary>
    private static async Task<IResult> ListAsync(HttpContext context, AppRepository apps, DynoManager dynos, BuildRepository builds, ApiOptions options)
    {
        var account = Authentication.AccountOf(context);
        var list = await apps.ListAsync(account.Id, context.RequestAborted);
        var range = RangeHeader.Parse(context.Request.Headers.Range.ToString(), "name", RangeFields);
        Func<App, string> key = range.Field switch
        {
            "id" => a => a.Id,
            "updated_at" => a => Resources.Time(a.UpdatedAt),
            _ => a => a.Name,
        };
        var (page, status) = range.Apply(context, list, key, RangeFields);
        var state = await AppStates.ReadAsync(dynos, builds, context.RequestAborted);
        return Results.Json(page.Select(a => Resources.App(a, options, state(a))), statusCode: status);
    }

    private static string GenerateName() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{RandomNumberGenerator.GetInt32(10000, 99999)}";
}
