using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Slipway.Core.Metrics;
using Slipway.Router.Balancing;
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
}
