using Slipway.Build.Sources;
using Slipway.Core.Platform;

namespace Slipway.Build.Compile;

/// <summary>How builds run on this machine. Defaults are Heroku's historical limits.</summary>
public sealed record BuildOptions
{
    /// <summary>The directory holding the built-in buildpacks (<c>&lt;name&gt;/bin/{detect,compile,release}</c>): the repo's <c>buildpacks/</c>.</summary>
    public required string BuildpacksDirectory { get; init; }

    public required DataDirectory DataDirectory { get; init; }

    /// <summary>Largest compressed slug; a bigger one fails the build.</summary>
    public long MaxSlugBytes { get; init; } = 500L * 1024 * 1024;

    /// <summary>Above this compressed size the build warns that boot may be slow.</summary>
    public long SoftSlugBytes { get; init; } = 300L * 1024 * 1024;

    /// <summary>Longest a whole build may take (Heroku: 15 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The stack name buildpacks see as <c>STACK</c>.</summary>
    public string Stack { get; init; } = "heroku-24";

    /// <summary>Memory limit of each buildpack step's process tree.</summary>
    public long MemoryLimitBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    public int PidsMax { get; init; } = 4096;

    /// <summary>Size of a sandboxed step's private <c>/tmp</c> (a tmpfs, counted against its memory).</summary>
    public long TmpSizeBytes { get; init; } = 1L << 30;

    /// <summary>Limits on the uploaded source archive.</summary>
    public SourceArchiveOptions Source { get; init; } = new();

    /// <summary>Throws when the options cannot work.</summary>
    public void Validate()
    {
        if (!Directory.Exists(BuildpacksDirectory))
        {
            throw new ArgumentException($"Buildpacks directory {BuildpacksDirectory} does not exist.");
        }

        if (MaxSlugBytes <= 0 || SoftSlugBytes <= 0 || Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Slug size limits and the build timeout must be positive.");
        }
    }
}
