using Slipway.Build.Native;
using Slipway.Runtime.Sandbox;

namespace Slipway.Build.Buildpacks;

/// <summary>
/// The host directories of one build and where buildpack steps see them. The build directory is mounted at
/// <c>/app</c>, not Heroku's <c>/tmp/build_*</c>: absolute paths a buildpack bakes in (a virtualenv's scripts, say)
/// then stay valid in dynos, where the slug is <c>/app</c> too, without relocation.
/// </summary>
public sealed record BuildWorkspace
{
    private const UnixFileMode Traversable = (UnixFileMode)0b111_001_001;
    private const UnixFileMode Private = (UnixFileMode)0b111_000_000;
    private const UnixFileMode Public = (UnixFileMode)0b111_101_101;

    public required string Scratch { get; init; }

    public required SandboxMount App { get; init; }

    public required SandboxMount Cache { get; init; }

    public required SandboxMount Env { get; init; }

    /// <summary>A per-build copy of the buildpacks, writable so a buildpack can leave its <c>export</c> file as the API expects.</summary>
    public required SandboxMount Buildpacks { get; init; }

    /// <summary>TMPDIR of unisolated steps; sandboxed steps get the sandbox's private /tmp.</summary>
    public required string Tmp { get; init; }

    public IReadOnlyList<SandboxMount> Mounts => [App, Cache, Env, Buildpacks];

    /// <summary>Where the packed slug is written before it is stored.</summary>
    public string SlugArchive => Path.Combine(Scratch, "slug.tgz");

    /// <summary>Creates the scratch tree below <paramref name="buildsDirectory"/> (0711 down to the mounts so the build uid can reach them).</summary>
    public static BuildWorkspace Create(string buildsDirectory, string buildId, string cacheDirectory)
    {
        CreateDirectory(buildsDirectory, Traversable);
        var scratch = Path.Combine(buildsDirectory, buildId);
        FileTree.DeleteTree(scratch);
        CreateDirectory(scratch, Traversable);
        CreateDirectory(Path.GetDirectoryName(cacheDirectory)!, Traversable);
        CreateDirectory(cacheDirectory, Private);
        var workspace = new BuildWorkspace
        {
            Scratch = scratch,
            App = new SandboxMount(Path.Combine(scratch, "app"), "/app", ReadOnly: false),
            Cache = new SandboxMount(cacheDirectory, "/cache", ReadOnly: false),
            Env = new SandboxMount(Path.Combine(scratch, "env"), "/env", ReadOnly: true),
            Buildpacks = new SandboxMount(Path.Combine(scratch, "buildpacks"), "/buildpacks", ReadOnly: false),
            Tmp = Path.Combine(scratch, "tmp"),
        };
        CreateDirectory(workspace.App.HostPath, Public);
        CreateDirectory(workspace.Env.HostPath, Private);
        CreateDirectory(workspace.Tmp, Private);
        return workspace;
    }

    /// <summary>Gives everything the build may write to the build uid.</summary>
    public void GiveTo(int hostUid)
    {
        foreach (var mount in Mounts)
        {
            FileOwnership.ChownTree(mount.HostPath, hostUid);
        }

        FileOwnership.ChownTree(Tmp, hostUid);
    }

    private static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (FileTree.Kind(path) == EntryKind.Missing)
        {
            Directory.CreateDirectory(path, mode);
            File.SetUnixFileMode(path, mode); // Not masked by the umask.
        }
    }
}
