using System.Globalization;
using Slipway.Runtime.Sandbox;

namespace Slipway.Build.Buildpacks;

/// <summary>Runs buildpack programs (<c>bin/detect</c>, <c>bin/compile</c>, <c>bin/release</c>) in the build sandbox as the app's uid.</summary>
public sealed class BuildpackSteps(ISandbox sandbox, BuildWorkspace workspace, BuildStepSettings settings)
{
    private int _steps;

    /// <summary>The build directory as buildpacks see it.</summary>
    public string AppDir => sandbox.PathInside(workspace.App);

    public string CacheDir => sandbox.PathInside(workspace.Cache);

    public string EnvDir => sandbox.PathInside(workspace.Env);

    /// <summary>A buildpack's own directory as buildpacks see it.</summary>
    public string BuildpackDir(string name) => sandbox.PathInside(workspace.Buildpacks) + "/" + name;

    /// <summary>
    /// Runs <c>bin/&lt;program&gt;</c> of <paramref name="buildpack"/> with <paramref name="arguments"/>, after sourcing the
    /// <c>export</c> files of <paramref name="earlier"/> buildpacks. Each output line goes to <paramref name="onLine"/>.
    /// Cancellation kills the step's whole process tree.
    /// </summary>
    public async Task<int> RunAsync(string buildpack, string program, IReadOnlyList<string> arguments, IReadOnlyList<string> earlier, Action<string> onLine, CancellationToken cancellationToken)
    {
        var script = string.Concat(earlier.Select(e => $"if [ -f {Quote(BuildpackDir(e) + "/export")} ]; then . {Quote(BuildpackDir(e) + "/export")}; fi; "))
            + "exec \"$@\"";
        var command = new List<string> { "/bin/bash", "-c", script, "bash", BuildpackDir(buildpack) + "/bin/" + program };
        command.AddRange(arguments);
        var spec = new SandboxSpec
        {
            Id = $"build-{settings.BuildId}-{Interlocked.Increment(ref _steps).ToString(CultureInfo.InvariantCulture)}",
            Command = command,
            Environment = Environment(),
            WorkingDirectory = AppDir,
            Mounts = workspace.Mounts,
            HostUid = settings.HostUid,
            Hostname = "build",
            MemoryLimitBytes = settings.MemoryLimitBytes,
            PidsMax = settings.PidsMax,
            TmpSizeBytes = settings.TmpSizeBytes,
            OnOutputLine = onLine,
        };

        cancellationToken.ThrowIfCancellationRequested();
        await using var process = await sandbox.StartAsync(spec, cancellationToken);
        int status;
        using (cancellationToken.Register(process.Kill))
        {
            status = await process.Exited;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return status;
    }

    /// <summary>The complete environment of a step: nothing of slipwayd's own leaks in.</summary>
    private Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = AppDir,
            ["LANG"] = "C.UTF-8",
            ["TMPDIR"] = sandbox.Mode == IsolationMode.None ? workspace.Tmp : "/tmp",
            ["STACK"] = settings.Stack,
        };
        if (!string.IsNullOrEmpty(settings.SourceVersion))
        {
            environment["SOURCE_VERSION"] = settings.SourceVersion;
        }

        return environment;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>What every step of one build shares.</summary>
public sealed record BuildStepSettings(string BuildId, int HostUid, string Stack, string? SourceVersion, long MemoryLimitBytes, int PidsMax, long TmpSizeBytes);
