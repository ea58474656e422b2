using Slipway.Core.Platform;

namespace Slipway.Runtime.Sandbox;

/// <summary>How this slipwayd instance isolates its trees; several instances on one machine need distinct ids and uid ranges.</summary>
public sealed record SandboxOptions
{
    public required DataDirectory DataDirectory { get; init; }

    /// <summary>Names this instance's cgroups (<c>slipway-&lt;id&gt;</c>) and firewall table (<c>slipway_&lt;id&gt;</c>): letters, digits and <c>_</c> only.</summary>
    public required string InstanceId { get; init; }

    /// <summary>First host uid handed to apps and builds; the firewall applies to the whole range.</summary>
    public int UidBase { get; init; } = 200_000;

    public int UidCount { get; init; } = 65_536;

    /// <summary>Local ports trees may still connect to (the router's, the object store's).</summary>
    public IReadOnlyList<int> AllowedLocalPorts { get; init; } = [];

    /// <summary>Lets trees reach a resolver on a local address (port 53), such as systemd-resolved's 127.0.0.53.</summary>
    public bool AllowLocalDns { get; init; } = true;

    /// <summary>Names the curated <c>/etc/hosts</c> maps to 127.0.0.1, e.g. <c>storage.localhost</c>.</summary>
    public IReadOnlyList<string> LoopbackHostNames { get; init; } = [];

    /// <summary>The uid (and gid) a tree sees itself as, inside its user namespace.</summary>
    public int SandboxUid { get; init; } = 1000;

    public bool OwnsUid(int hostUid) => hostUid >= UidBase && hostUid < UidBase + UidCount;

    /// <summary>Throws when the options cannot be used safely.</summary>
    public void Validate()
    {
        if (InstanceId.Length is 0 or > 40 || !InstanceId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"Sandbox instance id '{InstanceId}' must be 1-40 letters, digits or '_'.");
        }

        if (UidBase < 1000 || UidCount < 1 || (long)UidBase + UidCount > int.MaxValue)
        {
            throw new ArgumentException($"Sandbox uid range {UidBase}+{UidCount} must lie above 1000 and within int range.");
        }
    }
}
