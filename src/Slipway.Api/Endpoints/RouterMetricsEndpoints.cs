using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Metrics;
using Slipway.Data.Apps;

namespace Slipway.Api.Endpoints;

internal static class RouterMetricsEndpoints
{
    /// <summary>Going beyond Heroku's API: the app's router traffic per minute for the last six hours (the dashboard draws it).</summary>
    public static void MapRouterMetrics(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/apps/{app}/router-metrics", async (HttpContext context, string app, AppRepository apps, [FromServices] RouterMetrics metrics) =>
        {
            var (found, _) = await context.OwnAppAsync(apps, app);
            return Results.Json(new
            {
                app = new { id = found.Id, name = found.Name },
                minutes = metrics.Read(found.Id).Select(m => new
                {
                    at = m.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    requests = m.Requests,
                    status_2xx = m.Status2xx,
                    status_3xx = m.Status3xx,
                    status_4xx = m.Status4xx,
                    status_5xx = m.Status5xx,
                    p50_ms = m.P50Ms,
                    p95_ms = m.P95Ms,
                    p99_ms = m.P99Ms,
                }),
            });
        });
}
