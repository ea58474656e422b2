using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Slipway.Api.Auth;
using Slipway.Api.Http;
using Slipway.Core.Apps;
using Slipway.Core.Errors;
using Slipway.Data;
using Slipway.Data.Apps;
using Slipway.Data.Domains;

namespace Slipway.Api.Endpoints;

/// <summary>
/// The smaller resources the official heroku CLI reads around its main commands: collaborators, pipeline couplings (none),
/// the rate-limit budget, custom domains and SNI endpoints (none: TLS is terminated in front of Slipway).
/// </summary>
internal static partial class CompatEndpoints
{
    private static readonly string[] DomainRangeFields = ["id", "hostname"];

    public static void MapCompat(this IEndpointRouteBuilder routes)
    {
        var domains = ActivatorUtilities.GetServiceOrCreateInstance<DomainRepository>(routes.ServiceProvider); // the host's instance tells the router of changes

        routes.MapGet("/account/rate-limits", (HttpContext context) =>
        {
            _ = Authentication.AccountOf(context);
            return Results.Json(new { remaining = Authentication.RemainingOf(context) });
        });

        // Only the owner works on an app here; the CLI lists them under "Collaborators".
        routes.MapGet("/apps/{app}/collaborators", async (HttpContext context, string app, AppRepository apps) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            return Results.Json(new[] { Collaborator(found) });
        });

        // apps:info crashes on an empty 200 here: an app outside any pipeline is a 404, as on Heroku.
        routes.MapGet("/apps/{app}/pipeline-couplings", async (HttpContext context, string app, AppRepository apps) =>
        {
            _ = await context.OwnAppAsync(apps, app);
            throw PlatformException.NotFound("Couldn't find that pipeline coupling.");
        });

        routes.MapGet("/apps/{app}/sni-endpoints", async (HttpContext context, string app, AppRepository apps) =>
        {
            _ = await context.OwnAppAsync(apps, app);
            return Results.Json(Array.Empty<object>());
        });

        routes.MapGet("/apps/{app}/domains", async (HttpContext context, string app, AppRepository apps, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var all = new List<object> { DefaultDomain(found, options) };
            var custom = (await domains.ListAsync(found.Id, context.RequestAborted)).Select(d => (Key: d, Resource: Domain(d, found, options)));
            var range = RangeHeader.Parse(context.Request.Headers.Range.ToString(), "hostname", DomainRangeFields);
            var keyed = custom.Select(c => (Id: c.Key.Id, Hostname: c.Key.Hostname, c.Resource))
                .Prepend((Id: DefaultDomainId(found), Hostname: DefaultHostname(found, options), Resource: all[0]));
            var (page, status) = range.Apply(context, keyed, d => range.Field == "id" ? d.Id : d.Hostname, DomainRangeFields);
            return Results.Json(page.Select(d => d.Resource), statusCode: status);
        });

        routes.MapGet("/apps/{app}/domains/{domain}", async (HttpContext context, string app, string domain, AppRepository apps, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            if (domain == DefaultDomainId(found) || string.Equals(domain, DefaultHostname(found, options), StringComparison.OrdinalIgnoreCase))
            {
                return Results.Json(DefaultDomain(found, options));
            }

            var stored = await domains.FindAsync(found.Id, domain, context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that domain.");
            return Results.Json(Domain(stored, found, options));
        });

        routes.MapPost("/apps/{app}/domains", async (HttpContext context, string app, AppRepository apps, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            var hostname = body.String("hostname")?.Trim().TrimEnd('.').ToLowerInvariant();
            if (string.IsNullOrEmpty(hostname) || hostname.Length > 253 || !HostnameRegex().IsMatch(hostname))
            {
                throw PlatformException.Invalid("hostname must be a domain name such as www.example.com (or *.example.com).");
            }

            if (hostname.EndsWith("." + options.Domain, StringComparison.OrdinalIgnoreCase) || hostname == options.Domain)
            {
                throw PlatformException.Invalid($"{hostname} is under the platform's own domain ({options.Domain}); apps get their {{app}}.{options.Domain} name automatically.");
            }

            try
            {
                var added = await domains.AddAsync(found.Id, hostname, context.RequestAborted);
                return Results.Json(Domain(added, found, options), statusCode: 201);
            }
            catch (DuplicateException e)
            {
                throw PlatformException.Invalid(e.Message);
            }
        });

        routes.MapDelete("/apps/{app}/domains/{domain}", async (HttpContext context, string app, string domain, AppRepository apps, ApiOptions options) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var stored = await domains.FindAsync(found.Id, domain, context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that domain.");
            await domains.RemoveAsync(stored.Id, context.RequestAborted);
            return Results.Json(Domain(stored, found, options));
        });
    }

    private static object Collaborator(App app) => new
    {
        id = Resources.StableId("collaborator-" + app.Id + "-" + app.OwnerId),
        app = new { id = app.Id, name = app.Name },
        created_at = Resources.Time(app.CreatedAt),
        updated_at = Resources.Time(app.UpdatedAt),
        permissions = new[] { new { name = "view", description = "Can view the app." }, new { name = "deploy", description = "Can deploy the app." },
            new { name = "operate", description = "Can operate the app." }, new { name = "manage", description = "Can manage the app." } },
        role = "owner",
        user = new { id = app.OwnerId, email = app.OwnerEmail, federated = false },
    };

    private static string DefaultHostname(App app, ApiOptions options) => $"{app.Name}.{options.Domain}";

    private static string DefaultDomainId(App app) => Resources.StableId("domain-" + app.Id);

    private static object DefaultDomain(App app, ApiOptions options) => new
    {
        id = DefaultDomainId(app),
        hostname = DefaultHostname(app, options),
        kind = "heroku",
        cname = (string?)null,
        status = "none",
        acm_status = (string?)null,
        acm_status_reason = (string?)null,
        sni_endpoint = (object?)null,
        app = new { id = app.Id, name = app.Name },
        created_at = Resources.Time(app.CreatedAt),
        updated_at = Resources.Time(app.UpdatedAt),
    };

    /// <summary>A custom domain; its DNS target is the app's default hostname.</summary>
    private static object Domain(Data.Domains.Domain domain, App app, ApiOptions options) => new
    {
        id = domain.Id,
        hostname = domain.Hostname,
        kind = "custom",
        cname = DefaultHostname(app, options),
        status = "none",
        acm_status = (string?)null,
        acm_status_reason = (string?)null,
        sni_endpoint = (object?)null,
        app = new { id = app.Id, name = app.Name },
        created_at = Resources.Time(domain.CreatedAt),
        updated_at = Resources.Time(domain.UpdatedAt),
    };

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex HostnameRegex();
}
