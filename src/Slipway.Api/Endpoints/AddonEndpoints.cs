using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Apps;
using Slipway.Core.Errors;
using Slipway.Data.Apps;
using Slipway.Runtime.Releases;
using Slipway.Storage.Access;
using Slipway.Storage.Addons;
using Slipway.Storage.Hosting;

namespace Slipway.Api.Endpoints;

/// <summary>
/// The <c>storage</c> add-on (Heroku's add-on shapes: <c>POST /apps/{app}/addons</c> with <c>{"plan": "storage"}</c>) and the
/// account's object-store access keys (<c>/storage/keys</c>). Attaching and detaching change config vars through
/// <see cref="ReleaseService"/>, so each makes a release and restarts the dynos, as on Heroku.
/// </summary>
internal static class AddonEndpoints
{
    private const string PlanName = "storage:standard";

    public static void MapAddons(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/apps/{app}/addons", async (HttpContext context, string app, AppRepository apps, StorageAddons addons, ReleaseService releases) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var plan = body.String("plan") ?? body.Object("plan")?.String("name");
            if (plan is null || !(plan == StorageAddons.Plan || plan.StartsWith(StorageAddons.Plan + ":", StringComparison.Ordinal)))
            {
                throw PlatformException.NotFound($"Couldn't find either the add-on service or the add-on plan \"{plan}\". Slipway offers the \"{StorageAddons.Plan}\" add-on.");
            }

            var (addon, config) = await addons.ProvisionAsync(found.Id, found.Name, account.Id, context.RequestAborted);
            await releases.ChangeConfigAsync(found, config.ToDictionary(c => c.Key, c => (string?)c.Value), account, byAddon: true, context.RequestAborted);
            return Results.Json(Addon(addon, found), statusCode: 201);
        });

        routes.MapGet("/apps/{app}/addons", async (HttpContext context, string app, AppRepository apps, StorageAddons addons) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var addon = await addons.FindForAppAsync(found.Id, context.RequestAborted);
            return Results.Json(addon is null ? [] : new[] { Addon(addon, found) });
        });

        routes.MapGet("/apps/{app}/addons/{addon}", async (HttpContext context, string app, string addon, AppRepository apps, StorageAddons addons) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            return Results.Json(Addon(await FindAsync(addons, found, addon, context), found));
        });

        // Detaching revokes the app's key and removes its config vars; the bucket goes as BucketDisposalOf says.
        routes.MapDelete("/apps/{app}/addons/{addon}", async (HttpContext context, string app, string addon, AppRepository apps, StorageAddons addons, ReleaseService releases) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var existing = await FindAsync(addons, found, addon, context);
            await DeprovisionAsync(context, addons, existing, found);
            await releases.ChangeConfigAsync(found, StorageAddons.ConfigVarNames.ToDictionary(n => n, _ => (string?)null), account, byAddon: true, context.RequestAborted);
            return Results.Json(Addon(existing, found) with { state = "deprovisioned" });
        });

        routes.MapGet("/storage/keys", async (HttpContext context, AccessKeyStore keys, StorageOptions storage) =>
            Results.Json((await keys.ListAsync(Authentication.AccountOf(context).Id, context.RequestAborted)).Select(k => Key(k, null, storage))));

        routes.MapPost("/storage/keys", async (HttpContext context, AccessKeyStore keys, StorageOptions storage) =>
        {
            var account = Authentication.AccountOf(context);
            var body = await RequestBody.ReadAsync(context.Request);
            var readOnly = body.TryGetProperty("read_only", out var flag) && flag.ValueKind == System.Text.Json.JsonValueKind.True;
            var created = await keys.CreateAsync(account.Id, body.String("bucket"), readOnly, body.String("description"), context.RequestAborted);
            return Results.Json(Key(created.Key, created.Secret, storage), statusCode: 201);
        });

        routes.MapDelete("/storage/keys/{id}", async (HttpContext context, string id, AccessKeyStore keys, StorageOptions storage) =>
        {
            var account = Authentication.AccountOf(context);
            var key = (await keys.ListAsync(account.Id, context.RequestAborted)).FirstOrDefault(k => k.Id == id)
                ?? throw PlatformException.NotFound($"Couldn't find access key {id}.");
            await keys.RevokeAsync(account.Id, id, context.RequestAborted);
            return Results.Json(Key(key, null, storage));
        });
    }

    /// <summary>
    /// Destroys the app's add-on (add-on destruction, app deletion). Its bucket goes with every object only when the request
    /// confirms with <c>?confirm=APP</c>, as the CLIs' <c>--confirm</c>; otherwise only an empty bucket goes, and a kept one
    /// is named in a <c>Warning-Message</c> header (the heroku CLI prints it). <c>?keep_bucket=true</c> keeps it always.
    /// </summary>
    internal static async Task DeprovisionAsync(HttpContext context, StorageAddons addons, StorageAddon addon, App app)
    {
        var query = context.Request.Query;
        var disposal = string.Equals(query["keep_bucket"], "true", StringComparison.OrdinalIgnoreCase) ? BucketDisposal.Keep
            : query["confirm"] == app.Name ? BucketDisposal.DeleteWithObjects
            : BucketDisposal.DeleteIfEmpty;
        if (!await addons.DeprovisionAsync(addon, disposal, context.RequestAborted) && disposal == BucketDisposal.DeleteIfEmpty)
        {
            context.Response.Headers["Warning-Message"] =
                $"Bucket {addon.Bucket} still holds objects, so it was kept: it stays in your account (`slipway storage:ls s3://{addon.Bucket}` with an account key). " +
                $"To delete it with its objects, confirm with --confirm {app.Name}.";
        }
    }

    private static async Task<StorageAddon> FindAsync(StorageAddons addons, App app, string idOrName, HttpContext context)
    {
        var addon = await addons.FindForAppAsync(app.Id, context.RequestAborted);
        return addon is not null && (addon.Id == idOrName || addon.Name == idOrName || idOrName == StorageAddons.Plan)
            ? addon
            : throw PlatformException.NotFound($"Couldn't find that add-on. {app.Name} has {(addon is null ? "no add-ons" : $"only {addon.Name}")}.");
    }

    private static AddonResource Addon(StorageAddon addon, App app) => new(
        addon.Id,
        addon.Name,
        new { id = ServiceId, name = StorageAddons.Plan, human_name = "Slipway Storage" },
        new { id = PlanId, name = PlanName, price = new { cents = 0, unit = "month" } },
        new { id = app.Id, name = app.Name },
        new { id = app.Id, name = app.Name, type = "app" },
        StorageAddons.ConfigVarNames,
        addon.Bucket,
        "provisioned",
        null,
        Resources.Time(addon.CreatedAt),
        Resources.Time(addon.CreatedAt));

    // The endpoint and region an S3 client needs with the key (the CLI's storage commands read them).
    private static object Key(AccessKey key, string? secret, StorageOptions storage) => new
    {
        id = key.Id,
        access_key_id = key.Id,
        secret_access_key = secret,
        bucket = key.Bucket,
        read_only = key.ReadOnly,
        description = key.Description,
        created_at = Resources.Time(key.CreatedAt),
        endpoint = storage.AppEndpoint,
        region = storage.Region,
    };

    private static readonly string ServiceId = StableId("addon-service-storage");
    private static readonly string PlanId = StableId("addon-plan-storage-standard");

    private static string StableId(string name) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)).AsSpan(0, 16)).ToString();

#pragma warning disable IDE1006 // JSON field names as Heroku's schema spells them
    private sealed record AddonResource(
        string id, string name, object addon_service, object plan, object app, object billing_entity, IReadOnlyList<string> config_vars,
        string provider_id, string state, string? web_url, string created_at, string updated_at);
#pragma warning restore IDE1006
}
