namespace Slipway.Core.Dynos;

/// <summary>Heroku's dyno states (platform-api schema <c>dyno.definitions.state</c>) plus <c>complete</c> for finished one-offs.</summary>
public enum DynoState
{
    Starting,
    Up,
    Crashed,
    Down,
    Idle,
    Complete,
}

public static class DynoStateNames
{
    public static string ToApiName(this DynoState state) => state switch
    {
        DynoState.Starting => "starting",
        DynoState.Up => "up",
        DynoState.Crashed => "crashed",
        DynoState.Down => "down",
        DynoState.Idle => "idle",
        DynoState.Complete => "complete",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static DynoState Parse(string name) => name switch
    {
        "starting" => DynoState.Starting,
        "up" => DynoState.Up,
        "crashed" => DynoState.Crashed,
        "down" => DynoState.Down,
        "idle" => DynoState.Idle,
        "complete" => DynoState.Complete,
        _ => throw new FormatException($"Unknown dyno state '{name}'."),
    };
}
