using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos.Filesystem;

/// <summary>
/// One dyno's ephemeral filesystem under <c>dynos/&lt;dynoId&gt;/</c>: the overlay's <c>upper/</c> and <c>work/</c>
/// and the merged (or copied) <c>app/</c> that the sandbox shows as <c>/app</c>.
/// </summary>
internal sealed record DynoFilesystem(string Directory)
{
    public string Upper => Path.Combine(Directory, "upper");

    public string Work => Path.Combine(Directory, "work");

    public string App => Path.Combine(Directory, "app");

    /// <summary>What the sandbox mounts on <see cref="App"/> in the dyno's own mount namespace; null when the slug was copied there.</summary>
    public SandboxOverlay? Overlay { get; init; }
}
