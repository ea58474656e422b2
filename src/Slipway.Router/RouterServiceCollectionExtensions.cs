using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Slipway.Core.Metrics;
using Slipway.Router.Balancing;
using Slipway.Router.Hosting;
using Slipway.Router.Routing;
using Slipway.Runtime.Dynos;

namespace Slipway.Router;

public static class RouterServiceCollectionExtensions
{
    /// <summary>The router, its request counting, and the <see cref="IDynoTraffic"/> seam Runtime drains dynos through.</summary>
    public static IServiceCollection AddSlipwayRouter(this IServiceCollection services, RouterOptions options)
    {
        services.AddHttpForwarder();
        services.TryAddSingleton(options);
        services.TryAddSingleton<InFlightRequests>();
        services.TryAddSingleton<IDynoTraffic>(sp => sp.GetRequiredService<InFlightRequests>());
        services.TryAddSingleton<DynoBalancer>();
        services.TryAddSingleton<CustomDomains>();
        services.TryAddSingleton<ErrorPages>();
        services.TryAddSingleton<RouterMetrics>();
        services.TryAddSingleton<AppRouter>();
        return services;
    }

    /// <summary>
    /// Serves the router's plain HTTP <paramref name="port"/> through <see cref="RouterTransport"/>; Kestrel takes the last
    /// registered transport that can bind an endpoint, so call this after the web host has added its own.
    /// </summary>
    public static IServiceCollection AddSlipwayRouterTransport(this IServiceCollection services, int port) =>
        services.AddSingleton<IConnectionListenerFactory>(sp => new RouterTransport(port, sp.GetRequiredService<ILoggerFactory>()));
}
