using Slipway.Core.Dynos;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos;

/// <summary>A dyno the manager runs (or ran, if crashed): mutable, guarded by the manager's lock.</summary>
internal sealed class DynoInstance
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Command { get; init; }

    public required DynoSize Size { get; init; }

    public required string ReleaseId { get; init; }

    public required int ReleaseVersion { get; init; }

    public required int Port { get; init; }

    /// <summary>The host uid whose listener on <see cref="Port"/> counts as this dyno's, when the backend runs apps as their own uids.</summary>
    public int? ListenerUid { get; init; }

    /// <summary>What the router needs to reach it: made once, as every request's route lists it.</summary>
    public DynoEndpoint Endpoint => field ??= new DynoEndpoint(Id, Name, Port);

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DynoState State { get; set; } = DynoState.Starting;

    public SandboxProcess? Process { get; set; }

    /// <summary>Being stopped: no longer routed to, not counted toward the formation.</summary>
    public bool Retiring { get; set; }

    /// <summary>A restart was asked for (<c>ps:restart</c>); the next reconcile replaces it.</summary>
    public bool RestartRequested { get; set; }

    /// <summary>The restart is daily cycling, which logs <c>Cycling</c> instead of <c>Restarting</c>.</summary>
    public bool Cycling { get; set; }

    /// <summary>The dyno of the previous release this one replaces once it is up (preboot).</summary>
    public DynoInstance? Replaces { get; set; }

    /// <summary>Stopwatch timestamp of the moment its process was started: splits a wake into platform and app time.</summary>
    public long StartedTimestamp { get; set; }

    /// <summary>When daily cycling restarts it.</summary>
    public DateTimeOffset CycleAt { get; set; } = DateTimeOffset.MaxValue;

    /// <summary>The highest memory use (RSS + swap) sampled, for telling an R15 kill from other SIGKILLs.</summary>
    public long PeakMemoryBytes { get; set; }

    /// <summary>A <c>run</c> or <c>release</c> dyno: outside the formation, never restarted, ends <c>complete</c>.</summary>
    public bool IsOneOff { get; init; }

    public bool IsWeb => Type == "web" && !IsOneOff;

    public DynoRecord ToRecord() => new()
    {
        Id = Id, AppId = AppId, Name = Name, Type = Type, Command = Command, Size = Size.Name, State = State,
        ReleaseId = ReleaseId, ReleaseVersion = ReleaseVersion, Port = Port, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
    };
}
