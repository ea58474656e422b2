namespace Slipway.Build.Compile;

/// <summary>One build: a source archive in, a slug out.</summary>
public sealed record BuildRequest
{
    public required string BuildId { get; init; }

    public required string AppId { get; init; }

    public required string AppName { get; init; }

    /// <summary>The app's unprivileged host uid; buildpacks run as it, and the slug's files belong to it.</summary>
    public required int HostUid { get; init; }

    /// <summary>Host path of the uploaded source archive (tar.gz, tar or zip).</summary>
    public required string SourceArchivePath { get; init; }

    /// <summary>The git commit or user-given version; becomes <c>SOURCE_VERSION</c>.</summary>
    public string? SourceVersion { get; init; }

    /// <summary>The app's config vars, written into <c>ENV_DIR</c> one file per var.</summary>
    public IReadOnlyDictionary<string, string> ConfigVars { get; init; } = new Dictionary<string, string>();

    /// <summary>Buildpacks to run in order (built-in names such as <c>nodejs</c>); empty = detect.</summary>
    public IReadOnlyList<string> Buildpacks { get; init; } = [];
}

/// <summary>A finished build. The slug is stored (bucket <c>slipway-slugs</c>, key <c>{SlugId}.tgz</c>) and unpacked.</summary>
public sealed record BuildResult
{
    public required string SlugId { get; init; }

    /// <summary>Process types in Procfile order (Procfile first, then the buildpack's defaults for types it lacks).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> ProcessTypes { get; init; }

    /// <summary>What was detected, e.g. <c>Node.js</c>; shown as <c>buildpack_provided_description</c>.</summary>
    public required string BuildpackDescription { get; init; }

    /// <summary>The buildpacks that ran, in order (built-in names).</summary>
    public required IReadOnlyList<string> Buildpacks { get; init; }

    /// <summary>Compressed slug size in bytes.</summary>
    public required long SlugSize { get; init; }

    /// <summary><c>SHA256:&lt;hex&gt;</c> of the slug archive, as Heroku reports it.</summary>
    public required string SlugChecksum { get; init; }

    /// <summary>The unpacked slug, ready to be a dyno's lower layer.</summary>
    public required string SlugDirectory { get; init; }
}

/// <summary>A build failed for a reason the user can fix; the message says what happened and what to do.</summary>
public sealed class BuildFailedException(string message) : Exception(message);

/// <summary>Extracts the source safely, runs buildpacks in a build sandbox, packs and stores the slug.</summary>
public interface ISlugCompiler
{
    /// <summary>Runs the build, streaming every output line (Heroku style, <c>-----> </c> headings) to <paramref name="output"/>.</summary>
    Task<BuildResult> CompileAsync(BuildRequest request, Action<string> output, CancellationToken cancellationToken = default);
}
