using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Slipway.Build.Compile;
using Slipway.Core.Accounts;
using Slipway.Core.Apps;
using Slipway.Core.Builds;
using Slipway.Core.Logs;
using Slipway.Core.Platform;
using Slipway.Core.Releases;
using Slipway.Data.Builds;
using Slipway.Runtime.Releases;
using Slipway.Storage.Engine;

namespace Slipway.Build.Deploys;

/// <summary>
/// Runs builds in the background: fetch the source blob, compile, record the slug, release it. One build per app at a time;
/// the output streams live to <see cref="Output"/> readers and is kept in the object store afterwards.
/// </summary>
public sealed class BuildRunner(
    ISlugCompiler compiler,
    BuildRepository builds,
    ReleaseService releases,
    IObjectStore store,
    DataDirectory dataDirectory,
    IAppLog log,
    IHttpClientFactory httpClients,
    TimeProvider time,
    BuildRunnerOptions options,
    ILogger<BuildRunner> logger)
{
    public const string LogBucket = "slipway-build-logs";

    private readonly ConcurrentDictionary<string, BuildOutput> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _appLocks = new(StringComparer.Ordinal);

    public async Task<BuildRecord> StartAsync(App app, Account user, SourceBlob source, IReadOnlyList<string> buildpacks, CancellationToken cancellationToken = default)
    {
        var build = await builds.CreateAsync(app.Id, user.Id, source.Url, source.Version, source.Checksum, buildpacks, cancellationToken);
        var output = new BuildOutput();
        _running[build.Id] = output;
        log.Write(app.Id, LogSources.App, LogSources.ApiProcess, $"Build started by user {user.Email}");
        _ = Task.Run(() => RunAsync(app, user, build, source, output), CancellationToken.None);
        return build;
    }

    /// <summary>The live output of a running build, or null when it is finished (then read <see cref="StoredOutputAsync"/>).</summary>
    public BuildOutput? Output(string buildId) => _running.GetValueOrDefault(buildId);

    public async Task<string?> StoredOutputAsync(string buildId, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(LogBucket, buildId, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private async Task RunAsync(App app, Account user, BuildRecord build, SourceBlob source, BuildOutput output)
    {
        var appLock = _appLocks.GetOrAdd(app.Id, _ => new SemaphoreSlim(1, 1));
        if (!appLock.Wait(0))
        {
            output.Append("-----> Another build of this app is running; this one starts when it ends.");
            await appLock.WaitAsync();
        }

        var sourcePath = Path.Combine(dataDirectory.Builds, build.Id + ".source");
        string status = BuildStatus.Failed, failure = "";
        string? slugId = null, releaseId = null;
        IReadOnlyList<string> buildpacks = build.Buildpacks;
        using var timeout = new CancellationTokenSource(options.Timeout);
        try
        {
            Directory.CreateDirectory(dataDirectory.Builds);
            await FetchSourceAsync(source, sourcePath, timeout.Token);
            var config = await releases.ConfigAsync(app.Id, timeout.Token);
            var result = await compiler.CompileAsync(new BuildRequest
            {
                BuildId = build.Id, AppId = app.Id, AppName = app.Name, HostUid = options.UidBase + (int)app.Sequence,
                SourceArchivePath = sourcePath, SourceVersion = source.Version, ConfigVars = config, Buildpacks = build.Buildpacks,
            }, output.Append, timeout.Token);
            buildpacks = result.Buildpacks;

            var slug = await builds.AddSlugAsync(new Slug
            {
                Id = result.SlugId, AppId = app.Id, ProcessTypes = result.ProcessTypes, BuildpackDescription = result.BuildpackDescription,
                Size = result.SlugSize, Checksum = result.SlugChecksum, Commit = source.Version, Stack = options.Stack, CreatedAt = time.GetUtcNow(),
            }, CancellationToken.None);
            output.Append("-----> Launching...");
            var outcome = await releases.DeployAsync(app, slug, user, output.Append, CancellationToken.None);
            var release = await outcome.Finished;
            (status, slugId, releaseId) = (BuildStatus.Succeeded, slug.Id, release.Id);
            log.Write(app.Id, LogSources.App, LogSources.ApiProcess, "Build succeeded");
            if (release.Status == ReleaseStatus.Succeeded)
            {
                output.Append($"       Released v{release.Version}");
                output.Append($"       {options.WebUrl(app.Name)} deployed to Slipway");
            }
        }
        catch (Exception e) when (e is BuildFailedException or Sources.SourceArchiveException or SourceFetchException)
        {
            failure = e.Message;
            foreach (var line in e.Message.Split('\n'))
            {
                output.Append(line.StartsWith(' ') || line.StartsWith('-') ? line : $" !     {line}");
            }

            output.Append(" !     Push rejected, the build failed. The app keeps running its current release.");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            failure = $"The build exceeded the {options.Timeout.TotalMinutes:0}-minute limit.";
            output.Append($" !     Timed out compiling the app: {failure}");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Build {Build} of {App} failed unexpectedly", build.Id, app.Name);
            failure = "Internal platform error during the build (H99). Try again; if it persists, check slipwayd's log.";
            output.Append($" !     {failure}");
        }
        finally
        {
            File.Delete(sourcePath);
            appLock.Release();
        }

        if (status == BuildStatus.Failed)
        {
            log.Write(app.Id, LogSources.App, LogSources.ApiProcess, "Build failed");
        }

        try
        {
            await store.PutAsync(LogBucket, build.Id, new MemoryStream(Encoding.UTF8.GetBytes(output.Text())), "text/plain");
            await builds.CompleteAsync(build.Id, status, slugId, releaseId, status == BuildStatus.Failed ? failure : null, buildpacks);
        }
        finally
        {
            output.Complete();
            _running.TryRemove(build.Id, out _);
        }
    }

    /// <summary>Our own source URLs are read straight from the store; any other URL is downloaded, as Heroku does.</summary>
    private async Task FetchSourceAsync(SourceBlob source, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        if (options.OwnSourceKey(source.Url) is { } key)
        {
            await using var stored = await store.OpenReadAsync(PlatformBuckets.Sources, key, cancellationToken)
                ?? throw new SourceFetchException("The source blob was never uploaded (nothing was PUT to the source's put_url). Upload the archive, then create the build.");
            await stored.CopyToAsync(file, cancellationToken);
            return;
        }

        try
        {
            using var response = await httpClients.CreateClient("sources").GetAsync(source.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new SourceFetchException($"Downloading the source blob failed: {source.Url} answered {(int)response.StatusCode}.");
            }

            await response.Content.CopyToAsync(file, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new SourceFetchException($"Downloading the source blob from {source.Url} failed: {e.Message}");
        }
    }
}

/// <summary>The <c>source_blob</c> of a build request.</summary>
public sealed record SourceBlob(string Url, string? Version, string? Checksum);

public sealed class SourceFetchException(string message) : Exception(message);
