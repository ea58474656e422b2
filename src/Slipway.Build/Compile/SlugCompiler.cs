using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Slipway.Build.Buildpacks;
using Slipway.Build.Native;
using Slipway.Build.Sources;
using Slipway.Core.Apps;
using Slipway.Runtime.Sandbox;
using Slipway.Storage.Engine;

namespace Slipway.Build.Compile;

/// <summary>
/// Heroku's slug compiler: extracts the source safely, applies <c>.slugignore</c>, detects or takes the buildpacks,
/// runs <c>bin/compile</c> and <c>bin/release</c> of each in the build sandbox, discovers process types, packs and
/// stores the slug, and keeps the build directory as the unpacked slug.
/// </summary>
public sealed partial class SlugCompiler : ISlugCompiler
{
    private const string Arrow = "-----> ";
    private const string Indent = "       ";
    private const string Bang = " !     ";

    private readonly ISandbox _sandbox;
    private readonly IObjectStore _objects;
    private readonly BuildOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _appLocks = new(StringComparer.Ordinal);

    public SlugCompiler(ISandbox sandbox, IObjectStore objects, BuildOptions options, TimeProvider? timeProvider = null)
    {
        options.Validate();
        _sandbox = sandbox;
        _objects = objects;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    public async Task<BuildResult> CompileAsync(BuildRequest request, Action<string> output, CancellationToken cancellationToken = default)
    {
        Validate(request);

        // One build per app at a time: they share the app's build cache.
        var appLock = _appLocks.GetOrAdd(request.AppId, _ => new SemaphoreSlim(1, 1));
        if (!await appLock.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            output(Arrow + "Waiting for the app's previous build to finish");
            await appLock.WaitAsync(cancellationToken);
        }

        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var build = new Build(this, request, output);
        try
        {
            return await build.RunAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var minutes = _options.Timeout.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
            throw build.Fail($"Timed out compiling {build.Description ?? "the"} app ({minutes} minutes)",
                $"Builds may take at most {minutes} minutes; cache dependencies between builds or leave work to the release phase.");
        }
        finally
        {
            build.CleanUp();
            appLock.Release();
        }
    }

    private static void Validate(BuildRequest request)
    {
        foreach (var (name, value) in new[] { ("BuildId", request.BuildId), ("AppId", request.AppId) })
        {
            if (!IdRegex().IsMatch(value))
            {
                throw new ArgumentException($"{name} '{value}' must be 1-64 letters, digits, '-' or '_'.", nameof(request));
            }
        }

        if (request.HostUid <= 0)
        {
            throw new ArgumentException("Builds never run as root: HostUid must be an unprivileged uid.", nameof(request));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigVarRegex();

    /// <summary>One build's state: its workspace, what ran, and how to report failure.</summary>
    private sealed class Build(SlugCompiler compiler, BuildRequest request, Action<string> output)
    {
        private readonly BuildOptions _options = compiler._options;
        private BuildWorkspace? _workspace;

        public string? Description { get; private set; }

        public async Task<BuildResult> RunAsync(CancellationToken cancellationToken)
        {
            var data = _options.DataDirectory;
            var workspace = _workspace = BuildWorkspace.Create(data.Builds, request.BuildId, data.BuildCache(request.AppId));
            output(Arrow + "Building on the " + DisplayStack(_options.Stack) + " stack");

            await ExtractSourceAsync(workspace, cancellationToken);
            ApplySlugIgnore(workspace.App.HostPath);
            WriteEnvDir(workspace.Env.HostPath);
            FileTree.CopyTree(_options.BuildpacksDirectory, workspace.Buildpacks.HostPath);
            workspace.GiveTo(request.HostUid);

            var steps = new BuildpackSteps(compiler._sandbox, workspace, new BuildStepSettings(
                request.BuildId, request.HostUid, _options.Stack, request.SourceVersion, _options.MemoryLimitBytes, _options.PidsMax, _options.TmpSizeBytes));
            var buildpacks = await SelectBuildpacksAsync(steps, cancellationToken);

            var defaults = new List<KeyValuePair<string, string>>();
            for (var i = 0; i < buildpacks.Count; i++)
            {
                var (name, description) = buildpacks[i];
                Description = description;
                output(Arrow + description + " app detected");
                var earlier = buildpacks.Take(i).Select(b => b.Name).ToList();
                var status = await steps.RunAsync(name, "compile", [steps.AppDir, steps.CacheDir, steps.EnvDir], earlier, output, cancellationToken);
                if (status != 0)
                {
                    throw Fail($"Push rejected, failed to compile {description} app.");
                }

                var release = await ReleaseAsync(steps, name, description, earlier, cancellationToken);
                foreach (var type in release.DefaultProcessTypes)
                {
                    defaults.RemoveAll(d => d.Key == type.Key); // A later buildpack's default wins.
                    defaults.Add(type);
                }
            }

            var processTypes = DiscoverProcessTypes(workspace.App.HostPath, defaults);
            FileOwnership.ChownTree(workspace.App.HostPath, request.HostUid);
            var slug = await PackAsync(workspace, cancellationToken);
            var slugId = Guid.NewGuid().ToString();
            await StoreAsync(slug, slugId, cancellationToken);
            var slugDirectory = KeepAsSlugDirectory(workspace, slugId);
            return new BuildResult
            {
                SlugId = slugId,
                ProcessTypes = processTypes,
                BuildpackDescription = Description!,
                Buildpacks = buildpacks.Select(b => b.Name).ToList(),
                SlugSize = slug.Size,
                SlugChecksum = slug.Checksum,
                SlugDirectory = slugDirectory,
            };
        }

        /// <summary>Prints Heroku's failure lines and returns the exception to throw.</summary>
        public BuildFailedException Fail(string reason, string? hint = null)
        {
            output("");
            output(Bang + reason);
            if (hint is not null)
            {
                output(Bang + hint);
            }

            output("");
            output(Bang + "Push failed");
            return new BuildFailedException(hint is null ? reason : reason + " " + hint);
        }

        public void CleanUp()
        {
            if (_workspace is not null)
            {
                try
                {
                    FileTree.DeleteTree(_workspace.Scratch);
                }
                catch (IOException)
                {
                    // Leftover scratch is harmless; the next build with this id starts by deleting it.
                }
            }
        }

        private async Task ExtractSourceAsync(BuildWorkspace workspace, CancellationToken cancellationToken)
        {
            try
            {
                await SourceArchive.ExtractAsync(request.SourceArchivePath, workspace.App.HostPath, _options.Source, cancellationToken);
            }
            catch (SourceArchiveException e)
            {
                throw Fail(e.Message);
            }
            catch (FileNotFoundException)
            {
                throw Fail("The source archive is missing; upload the source again.");
            }
        }

        private void ApplySlugIgnore(string app)
        {
            var path = Path.Combine(app, ".slugignore");
            if (FileTree.Kind(path) != EntryKind.File)
            {
                return;
            }

            var removed = new SlugIgnore(File.ReadAllText(path)).Apply(app);
            if (removed > 0)
            {
                output(Arrow + "Removing files listed in .slugignore");
                output(Indent + $"Removed {removed} {(removed == 1 ? "entry" : "entries")}");
            }
        }

        private void WriteEnvDir(string envDir)
        {
            foreach (var (name, value) in request.ConfigVars)
            {
                if (ConfigVarRegex().IsMatch(name))
                {
                    File.WriteAllText(Path.Combine(envDir, name), value, new UTF8Encoding(false));
                    File.SetUnixFileMode(Path.Combine(envDir, name), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
        }

        private async Task<List<(string Name, string Description)>> SelectBuildpacksAsync(BuildpackSteps steps, CancellationToken cancellationToken)
        {
            var selected = new List<(string, string)>();
            if (request.Buildpacks.Count == 0)
            {
                foreach (var name in BuiltinBuildpacks.DetectionOrder)
                {
                    if (await DetectAsync(steps, name, cancellationToken) is { } description)
                    {
                        selected.Add((name, description));
                        return selected;
                    }
                }

                output("");
                output(Bang + "No default language could be detected for this app.");
                output(Indent + "HINT: This occurs when Slipway cannot detect the buildpack to use for this application automatically.");
                output(Indent + "Slipway looked for:");
                foreach (var name in BuiltinBuildpacks.DetectionOrder)
                {
                    output(Indent + "  " + BuiltinBuildpacks.LooksFor[name]);
                }

                output(Indent + "Add one of these files, or set a buildpack (nodejs, python, dotnet, static, procfile).");
                output("");
                output(Bang + "Push failed");
                throw new BuildFailedException("No default language could be detected for this app. Slipway looked for: "
                    + string.Join("; ", BuiltinBuildpacks.DetectionOrder.Select(n => BuiltinBuildpacks.LooksFor[n])) + ".");
            }

            output(Arrow + (request.Buildpacks.Count == 1 ? "Using buildpack: " + request.Buildpacks[0] : "Using buildpacks:"));
            for (var i = 0; request.Buildpacks.Count > 1 && i < request.Buildpacks.Count; i++)
            {
                output(Indent + (i + 1).ToString(CultureInfo.InvariantCulture) + ". " + request.Buildpacks[i]);
            }

            foreach (var requested in request.Buildpacks)
            {
                var name = BuiltinBuildpacks.Resolve(requested, _options.BuildpacksDirectory)
                    ?? throw Fail($"Unknown buildpack '{requested}'.", "Slipway has the built-in buildpacks " + string.Join(", ", BuiltinBuildpacks.DetectionOrder) + ".");
                var description = await DetectAsync(steps, name, cancellationToken)
                    ?? throw Fail($"App not compatible with buildpack: {requested}", $"It looks for {BuiltinBuildpacks.LooksFor.GetValueOrDefault(name, "its own files")}.");
                selected.Add((name, description));
            }

            return selected;
        }

        private static async Task<string?> DetectAsync(BuildpackSteps steps, string name, CancellationToken cancellationToken)
        {
            var lines = new List<string>();
            var status = await steps.RunAsync(name, "detect", [steps.AppDir], [], line => lines.Add(line), cancellationToken);
            if (status != 0)
            {
                return null;
            }

            var description = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            return string.IsNullOrEmpty(description) ? name : description;
        }

        private async Task<BuildpackRelease> ReleaseAsync(BuildpackSteps steps, string name, string description, IReadOnlyList<string> earlier, CancellationToken cancellationToken)
        {
            var program = Path.Combine(_options.BuildpacksDirectory, name, "bin", "release");
            if (!File.Exists(program))
            {
                return BuildpackRelease.Empty;
            }

            var yaml = new StringBuilder();
            var status = await steps.RunAsync(name, "release", [steps.AppDir], earlier, line => yaml.AppendLine(line), cancellationToken);
            if (status != 0)
            {
                throw Fail($"Push rejected, the {description} buildpack's bin/release failed.");
            }

            try
            {
                return BuildpackRelease.Parse(yaml.ToString());
            }
            catch (FormatException e)
            {
                throw Fail($"The {description} buildpack's bin/release printed invalid YAML: {e.Message}");
            }
        }

        private List<KeyValuePair<string, string>> DiscoverProcessTypes(string app, List<KeyValuePair<string, string>> defaults)
        {
            output(Arrow + "Discovering process types");
            var path = Path.Combine(app, "Procfile");
            var declared = new List<KeyValuePair<string, string>>();
            switch (FileTree.Kind(path))
            {
                case EntryKind.Missing:
                    break;
                case EntryKind.File:
                    try
                    {
                        declared.AddRange(Procfile.Parse(File.ReadAllText(path)));
                    }
                    catch (ProcfileException e)
                    {
                        throw Fail(e.Message);
                    }

                    output(Indent + "Procfile declares types -> " + (declared.Count == 0 ? "(none)" : string.Join(", ", declared.Select(t => t.Key))));
                    break;
                default:
                    throw Fail("The Procfile is not a regular file.", "Commit the Procfile itself, not a link or directory.");
            }

            if (defaults.Count > 0)
            {
                output(Indent + "Default types for buildpack -> " + string.Join(", ", defaults.Select(t => t.Key)));
            }
            else if (declared.Count == 0)
            {
                output(Indent + "Procfile declares types -> (none)");
            }

            return [.. declared, .. defaults.Where(d => declared.All(t => t.Key != d.Key))];
        }

        private async Task<PackedSlug> PackAsync(BuildWorkspace workspace, CancellationToken cancellationToken)
        {
            output(Arrow + "Compressing...");
            var slug = await SlugPacker.PackAsync(workspace.App.HostPath, workspace.SlugArchive, cancellationToken);
            output(Indent + "Done: " + ByteSize.Compact(slug.Size));
            if (slug.Size > _options.MaxSlugBytes)
            {
                throw Fail($"Compiled slug size: {ByteSize.Compact(slug.Size)} is too large (max is {ByteSize.Limit(_options.MaxSlugBytes)}).",
                    "Remove unneeded files with a .slugignore, or move large assets to object storage.");
            }

            if (slug.Size > _options.SoftSlugBytes)
            {
                output(Bang + $"Warning: Your slug size ({ByteSize.Compact(slug.Size)}) exceeds our soft limit ({ByteSize.Limit(_options.SoftSlugBytes)}) which may affect boot time.");
            }

            return slug;
        }

        private async Task StoreAsync(PackedSlug slug, string slugId, CancellationToken cancellationToken)
        {
            await using var content = new FileStream(slug.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await compiler._objects.PutAsync(PlatformBuckets.Slugs, slugId + ".tgz", content, "application/gzip", cancellationToken);
        }

        private string KeepAsSlugDirectory(BuildWorkspace workspace, string slugId)
        {
            var slugs = _options.DataDirectory.Slugs;
            if (FileTree.Kind(slugs) == EntryKind.Missing)
            {
                Directory.CreateDirectory(slugs);
                File.SetUnixFileMode(slugs, (UnixFileMode)0b111_001_001);
            }

            var target = _options.DataDirectory.Slug(slugId);
            FileRename.Rename(workspace.App.HostPath, target);
            return target;
        }

        private static string DisplayStack(string stack) =>
            stack.Length == 0 ? stack : char.ToUpperInvariant(stack[0]) + stack[1..];
    }
}
