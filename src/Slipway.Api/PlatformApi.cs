using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Api.Auth;
using Slipway.Api.Endpoints;
using Slipway.Api.Git;
using Slipway.Api.Http;

namespace Slipway.Api;

public static class PlatformApi
{
    /// <summary>The Platform API v3 pipeline: conventions, errors, authentication, then the resource endpoints.</summary>
    public static IApplicationBuilder UsePlatformApi(this IApplicationBuilder app, Func<bool> ready)
    {
        app.UseMiddleware<ApiConventions>();
        app.UseMiddleware<ApiErrors>();
        app.UseMiddleware<Authentication>();
        app.UseWebSockets();
        app.UseRouting();
        app.UseEndpoints(routes =>
        {
            routes.MapGet("/healthz", () => ready() ? Results.Text("ok\n") : Results.Text("starting\n", statusCode: 503));
            routes.MapAccounts();
            routes.MapApps();
            routes.MapConfig();
            routes.MapBuilds();
            routes.MapReleases();
            routes.MapFormation();
            routes.MapDynos();
            routes.MapAddons();
            routes.MapLogs();
            routes.MapGit();
            routes.MapCompat();
            routes.MapDynoSizes();
            routes.MapRouterMetrics();
            routes.MapDynoMetrics();
            routes.MapRuns();
            routes.MapQuota();
            routes.MapFallback((HttpContext context) =>
                ApiErrors.WriteAsync(context, 404, "not_found", $"No such endpoint: {context.Request.Method} {context.Request.Path}. See the Platform API reference."));
        });
        return app;
    }
}
