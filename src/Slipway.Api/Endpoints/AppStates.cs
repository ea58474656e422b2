using Slipway.Core.Apps;
using Slipway.Data.Builds;
using Slipway.Runtime.Dynos;

namespace Slipway.Api.Endpoints;

/// <summary>Apps' run states for the app resource: the dyno manager's view of their dynos and whether a build is pending.</summary>
internal static class AppStates
{
    /// <summary>A function giving each app's state, after one query for the builds under way.</summary>
    public static async Task<Func<App, string>> ReadAsync(DynoManager dynos, BuildRepository builds, CancellationToken cancellationToken)
    {
        var building = await builds.AppsBuildingAsync(cancellationToken);
        return app => AppRunState.Of(building.Contains(app.Id), dynos.List(app.Id));
    }
}
