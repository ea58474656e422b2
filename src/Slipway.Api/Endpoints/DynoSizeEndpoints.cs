using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Dynos;
using Slipway.Core.Errors;
using Slipway.Data.Apps;
using Slipway.Runtime.Dynos;

namespace Slipway.Api.Endpoints;

internal static class DynoSizeEndpoints
{
    public static void MapDynoSizes(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/dyno-sizes", () => Results.Json(DynoSize.All.Select(Resource)));
        routes.MapGet("/apps/{app}/available-dyno-sizes", async (HttpContext context, string app, AppRepository apps) =>
        {
            _ = await context.OwnAppAsync(apps, app);
            return Results.Json(DynoSize.All.Select(Resource));
        });
        routes.MapGet("/dyno-sizes/{size}", (string size) =>
            Results.Json(Resource(DynoSize.Find(size) ?? throw PlatformException.NotFound($"Couldn't find that dyno size ({size})."))));

        // Going beyond Heroku: what a running dyno has written since boot, all of which its next restart discards.
        routes.MapGet("/apps/{app}/dynos/{dyno}/writes", async (HttpContext context, string app, string dyno, AppRepository apps, DynoManager dynos) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var writes = await dynos.WritesAsync(found.Id, dyno, context.RequestAborted) ?? throw PlatformException.NotFound("Couldn't find that dyno.");
            return Results.Json(new
            {
                dyno,
                files = writes.Files,
                bytes = writes.Bytes,
                directories = writes.Directories.Select(d => new { path = d.Path, files = d.Files, bytes = d.Bytes }),
                summary = writes.Files == 0 ? "No files written since boot." : writes.Describe("Will discard"),
            });
        });
    }

    private static object Resource(DynoSize size) => new
    {
        id = Http.Resources.StableId("size-" + size.Name),
        name = size.DisplayName,
        memory = size.MemoryMegabytes / 1024.0,
        compute = Math.Max(1, size.CpuShares / 1024),
        dedicated = size.Name.StartsWith("performance", StringComparison.Ordinal),
        private_space_only = false,
        precise_dyno_units = size.CpuShares / 1024.0,
        cost = (object?)null,
        architecture = "amd64",
        generation = new { id = Http.Resources.StableId("generation-cedar"), name = "cedar" },
        sleeps = size.Sleeps,
    };
}
