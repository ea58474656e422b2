using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Http;
using Slipway.Core.Metrics;
using Slipway.Data.Apps;

namespace Slipway.Api.Endpoints;

internal static class DynoMetricsEndpoints
{
    /// <summary>
    /// Going beyond Heroku's API: each dyno's highest memory per minute against its quota (the R14 line) and the app's
    /// sleeps and wakes, for the last six hours (the dashboard draws them).
    /// </summary>
    public static void MapDynoMetrics(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/apps/{app}/dyno-metrics", async (HttpContext context, string app, AppRepository apps, [FromServices] DynoMetrics metrics) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            var (memory, events) = metrics.Read(found.Id);
            return Results.Json(new
            {
                app = new { id = found.Id, name = found.Name },
                dynos = memory.Select(d => new
                {
                    name = d.Key,
                    quota_bytes = d.Value[^1].QuotaBytes,
                    minutes = d.Value.Select(m => new { at = Resources.Time(m.At), max_bytes = m.MaxBytes, quota_bytes = m.QuotaBytes }),
                }),
                events = events.Select(e => new
                {
                    at = Resources.Time(e.At),
                    kind = e.Kind == DynoEventKind.Wake ? "wake" : "sleep",
                    ready_ms = e.ReadyMs,
                }),
            });
        });
}
