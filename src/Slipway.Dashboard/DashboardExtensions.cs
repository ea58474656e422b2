using Microsoft.AspNetCore.Builder;

namespace Slipway.Dashboard;

public static class DashboardExtensions
{
    /// <summary>The browser dashboard on the API listener: put it before the Platform API, which answers every other path.</summary>
    public static IApplicationBuilder MapSlipwayDashboard(this IApplicationBuilder app, DashboardOptions options) =>
        app.UseMiddleware<DashboardMiddleware>(new DashboardAssets(), options);
}
