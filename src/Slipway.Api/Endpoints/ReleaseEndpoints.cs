using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Http;
using Slipway.Build.Slugs;
using Slipway.Core.Errors;
using Slipway.Core.Releases;
using Slipway.Data.Apps;
using Slipway.Data.Builds;
using Slipway.Data.Releases;
using Slipway.Runtime.Releases;

namespace Slipway.Api.Endpoints;

internal static partial class ReleaseEndpoints
{
    public static void MapReleases(this IEndpointRouteBuilder routes)
    {
        // Honours Heroku's `Range: version ..; order=desc,max=15` (the CLI takes [0] as the newest with order=desc).
        routes.MapGet("/apps/{app}/releases", async (HttpContext context, string app, AppRepository apps, ReleaseRepository releases) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var range = ParseRange(context.Request.Headers.Range.ToString());
            var page = await releases.ListAsync(found.Id, range.Descending, range.From, range.Max + 1, context.RequestAborted);
            var current = await releases.CurrentAsync(found.Id, context.RequestAborted);
            context.Response.Headers.AcceptRanges = "id, version";
            if (page.Count > range.Max)
            {
                var next = page[range.Max];
                page = page.Take(range.Max).ToList();
                context.Response.Headers["Next-Range"] = $"version {next.Version}..; max={range.Max}{(range.Descending ? ", order=desc" : "")}";
                context.Response.StatusCode = 206;
            }

            if (page.Count > 0)
            {
                context.Response.Headers.ContentRange = $"version {page[0].Version}..{page[^1].Version}";
            }

            return Results.Json(page.Select(r => Resources.Release(r, found, current?.Version ?? 0)), statusCode: context.Response.StatusCode);
        });

        routes.MapGet("/apps/{app}/releases/{release}", async (HttpContext context, string app, string release, AppRepository apps, ReleaseRepository releases) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var target = await releases.FindAsync(found.Id, release, context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that release.");
            var current = await releases.CurrentAsync(found.Id, context.RequestAborted);
            return Results.Json(Resources.Release(target, found, current?.Version ?? 0));
        });

        // {"slug": id} releases a slug; {"release": id} rolls back to that release's slug and config.
        routes.MapPost("/apps/{app}/releases", async (HttpContext context, string app, AppRepository apps, ReleaseRepository releases,
            BuildRepository builds, ReleaseService service, SlugCopier slugs) =>
        {
            var (found, account) = await context.OwnAppAsync(apps, app);
            var body = await RequestBody.ReadAsync(context.Request);
            Release created;
            if (body.String("release") is { } releaseId)
            {
                var target = await releases.FindAsync(found.Id, releaseId, context.RequestAborted)
                    ?? throw PlatformException.NotFound("Couldn't find that release.");
                var slug = target.SlugId is null ? null : await builds.FindSlugAsync(target.SlugId, context.RequestAborted);
                created = (await service.RollbackAsync(found, target, slug, account, context.RequestAborted)).Created;
            }
            else if (body.String("slug") is { } slugId)
            {
                var slug = await builds.FindSlugAsync(slugId, context.RequestAborted);
                if (slug is not null && slug.AppId != found.Id)
                {
                    // Another app's slug is copied, as Heroku does between an account's apps; anyone else's stays unseen.
                    var source = await apps.FindAsync(slug.AppId, context.RequestAborted);
                    slug = source?.OwnerId == account.Id ? await slugs.CopyAsync(slug, found.Id, context.RequestAborted) : null;
                }

                if (slug is null)
                {
                    throw PlatformException.NotFound("Couldn't find that slug.");
                }

                created = (await service.DeployAsync(found, slug, account, cancellationToken: context.RequestAborted)).Created;
            }
            else
            {
                throw PlatformException.Invalid("Give either {\"slug\": \"<slug id>\"} or {\"release\": \"<release id or version>\"}.");
            }

            return Results.Json(Resources.Release(created, found, created.Version), statusCode: 201);
        });
    }

    internal static (bool Descending, int? From, int Max) ParseRange(string header)
    {
        var match = RangeRegex().Match(header);
        if (!match.Success)
        {
            return (false, null, 200);
        }

        int? from = int.TryParse(match.Groups["from"].Value, out var f) ? f : null;
        var options = match.Groups["options"].Value;
        var descending = options.Contains("order=desc", StringComparison.OrdinalIgnoreCase);
        var maxMatch = MaxRegex().Match(options);
        var max = maxMatch.Success ? Math.Clamp(int.Parse(maxMatch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 1000) : 200;
        return (descending, from, max);
    }

    [GeneratedRegex(@"^\s*version\s+(?<from>\d*)\s*\.\.\s*(?<to>\d*)\s*;?(?<options>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex RangeRegex();

    [GeneratedRegex(@"max=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex MaxRegex();
}
