using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Http;
using Slipway.Core.Errors;
using Slipway.Core.Logs;
using Slipway.Data.Apps;
using Slipway.Runtime.Dynos;

namespace Slipway.Api.Endpoints;

internal static class DynoEndpoints
{
    public static void MapDynos(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/apps/{app}/dynos", async (HttpContext context, string app, AppRepository apps, DynoManager dynos) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            return Results.Json(dynos.List(found.Id).Select(d => Resources.Dyno(d, found)));
        });

        routes.MapGet("/apps/{app}/dynos/{dyno}", async (HttpContext context, string app, string dyno, AppRepository apps, DynoManager dynos) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var record = dynos.List(found.Id).FirstOrDefault(d => d.Name == dyno || d.Id == dyno) ?? throw PlatformException.NotFound("Couldn't find that dyno.");
            return Results.Json(Resources.Dyno(record, found));
        });

        routes.MapDelete("/apps/{app}/dynos", (HttpContext context, string app, AppRepository apps, DynoManager dynos, IAppLog log) =>
            RestartAsync(context, app, null, apps, dynos, log));
        routes.MapDelete("/apps/{app}/dynos/{dyno}", (HttpContext context, string app, string dyno, AppRepository apps, DynoManager dynos, IAppLog log) =>
            RestartAsync(context, app, dyno, apps, dynos, log));
        routes.MapDelete("/apps/{app}/formations/{type}", (HttpContext context, string app, string type, AppRepository apps, DynoManager dynos, IAppLog log) =>
            RestartAsync(context, app, type, apps, dynos, log));

        // Stopping a formation dyno is a restart: the formation still wants it, so a fresh one replaces it (as on Heroku).
        routes.MapPost("/apps/{app}/dynos/{dyno}/actions/stop", (HttpContext context, string app, string dyno, AppRepository apps, DynoManager dynos, IAppLog log) =>
            RestartAsync(context, app, dyno, apps, dynos, log));
        routes.MapPost("/apps/{app}/formations/{type}/actions/stop", (HttpContext context, string app, string type, AppRepository apps, DynoManager dynos, IAppLog log) =>
            RestartAsync(context, app, type, apps, dynos, log));
    }

    private static async Task<IResult> RestartAsync(HttpContext context, string app, string? target, AppRepository apps, DynoManager dynos, IAppLog log)
    {
        var (found, account) = await context.OwnAppAsync(apps, app);
        if (dynos.Restart(found.Id, target) == 0 && target is not null)
        {
            throw PlatformException.NotFound($"Couldn't find that dyno or process type ({target}).");
        }

        log.Write(found.Id, LogSources.App, LogSources.ApiProcess, $"Restart {target ?? "all dynos"} by user {account.Email}");
        return Results.Json(new { }, statusCode: 202);
    }
}
