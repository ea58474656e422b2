using Slipway.Core.Dynos;

namespace Slipway.Core.Apps;

/// <summary>
/// An app's state in one word, as the dashboard's apps list shows it (Heroku's API has no such field, so clients made
/// three calls per app to derive it): building, crashed, sleeping, up, starting, or stopped.
/// </summary>
public static class AppRunState
{
    public const string Building = "building";
    public const string Crashed = "crashed";
    public const string Sleeping = "sleeping";
    public const string Up = "up";
    public const string Starting = "starting";
    public const string Stopped = "stopped";

    /// <summary>The state from whether a build is pending and the app's dynos; one-off dynos (run, release) do not count.</summary>
    public static string Of(bool building, IEnumerable<DynoRecord> dynos)
    {
        if (building)
        {
            return Building;
        }

        var formation = dynos.Where(d => d.Type is not ("run" or "release")).Select(d => d.State).ToList();
        if (formation.Contains(DynoState.Crashed))
        {
            return Crashed;
        }

        if (formation.Count > 0 && formation.All(s => s == DynoState.Idle))
        {
            return Sleeping;
        }

        return formation.Contains(DynoState.Up) ? Up : formation.Contains(DynoState.Starting) ? Starting : Stopped;
    }
}
