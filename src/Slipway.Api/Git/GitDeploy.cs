using Slipway.Build.Deploys;
using Slipway.Core.Builds;
using Slipway.Data.Builds;
using Slipway.Storage.Engine;

namespace Slipway.Api.Git;

/// <summary>
/// What the pre-receive hook asks for: build the pushed commit of main/master, streaming the build output line by line,
/// and answer whether git may accept the push (exit 0) or must reject it (the running release stays untouched).
/// </summary>
public sealed class GitDeploy(BuildRunner runner, BuildRepository builds, IObjectStore store, GitPushes pushes, ApiOptions options)
{
    /// <summary>Runs the deploy for <paramref name="push"/>; returns the hook's exit code.</summary>
    public async Task<int> RunAsync(GitPush push, IReadOnlyList<RefUpdate> updates, GitObjectDirectories objects, Func<string, Task> say,
        CancellationToken cancellationToken)
    {
        var app = push.App;
        if (updates.FirstOrDefault(u => !u.IsDeployBranch) is { } other)
        {
            await say($" !     Pushed to branch '{other.Branch}': only main and master deploy on Slipway.");
            await say($" !     Deploy it with: git push slipway {other.Branch}:main");
            return 1;
        }

        if (updates.FirstOrDefault(u => u.IsDelete) is { } deletion)
        {
            await say($" !     Deleting {deletion.Branch} is not allowed: it is what {app.Name} runs.");
            return 1;
        }

        if (updates.Count != 1)
        {
            await say(" !     Push main or master, not both at once.");
            return 1;
        }

        var update = updates[0];
        var gate = pushes.DeployLock(app.Id);
        if (!gate.Wait(0, CancellationToken.None))
        {
            await say($"-----> Another push to {app.Name} is deploying; this push waits for it to finish.");
            await gate.WaitAsync(cancellationToken);
        }

        push.Hold(gate); // released when this push's receive-pack ends, after git has moved the ref

        // A push that waited may be based on a branch the earlier push moved: refuse rather than deploy a stale view.
        var current = await GitCommand.RunAsync(push.Repository, ["rev-parse", "--verify", "-q", update.Ref], cancellationToken: cancellationToken);
        var currentSha = current.ExitCode == 0 ? current.Output : RefUpdate.Zero;
        if (!string.Equals(currentSha, update.OldSha, StringComparison.Ordinal))
        {
            await say($" !     {update.Branch} moved on {app.Name} while this push waited (another push landed first).");
            await say(" !     Fetch, merge or rebase, and push again.");
            return 1;
        }

        return await BuildAsync(push, update, objects, say, cancellationToken);
    }

    private async Task<int> BuildAsync(GitPush push, RefUpdate update, GitObjectDirectories objects, Func<string, Task> say, CancellationToken cancellationToken)
    {
        var app = push.App;
        await say("Compressing source files... done.");
        var key = $"git-{app.Id}-{update.NewSha}-{push.Id[..8]}";
        var archive = Path.Combine(Path.GetTempPath(), $"slipway-{key}.tar.gz");
        try
        {
            var result = await GitCommand.RunAsync(push.Repository, ["archive", "--format=tar.gz", "-o", archive, update.NewSha], objects.Environment(), cancellationToken);
            if (result.ExitCode != 0)
            {
                await say($" !     Could not read commit {update.NewSha[..7]} from the push: {result.Error}");
                return 1;
            }

            await using (var file = File.OpenRead(archive))
            {
                await store.PutAsync(PlatformBuckets.Sources, key, file, "application/gzip", cancellationToken);
            }
        }
        finally
        {
            File.Delete(archive);
        }

        await say("Building source:");
        var url = $"{options.StorageUrl.TrimEnd('/')}/{PlatformBuckets.Sources}/{key}";
        var build = await runner.StartAsync(app, push.Account, new SourceBlob(url, update.NewSha, null), [], cancellationToken);
        if (runner.Output(build.Id) is { } live)
        {
            // The build goes on if the pusher hangs up; only the streaming stops.
            await foreach (var line in live.FollowAsync(cancellationToken))
            {
                await say(line);
            }
        }
        else if (await runner.StoredOutputAsync(build.Id, cancellationToken) is { } stored)
        {
            foreach (var line in stored.TrimEnd('\n').Split('\n'))
            {
                await say(line);
            }
        }

        var finished = await WaitForCompletionAsync(app.Id, build.Id, cancellationToken);
        await store.DeleteAsync(PlatformBuckets.Sources, key, CancellationToken.None);
        if (finished?.Status == BuildStatus.Succeeded)
        {
            await say("Verifying deploy... done.");
            await GitCommand.RunAsync(push.Repository, ["symbolic-ref", "HEAD", update.Ref], cancellationToken: CancellationToken.None);
            return 0;
        }

        await say($" !     Push rejected to {app.Name}.");
        return 1;
    }

    /// <summary>The output completes just before the record is final; wait briefly for the status to land.</summary>
    private async Task<BuildRecord?> WaitForCompletionAsync(string appId, string buildId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var record = await builds.FindAsync(appId, buildId, cancellationToken);
            if (record is null || record.Status != BuildStatus.Pending || attempt >= 600)
            {
                return record;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}

/// <summary>The quarantine object directories git gives a pre-receive hook; the pushed objects are only visible through them.</summary>
public sealed record GitObjectDirectories(string? ObjectDirectory, string? AlternateObjectDirectories)
{
    /// <summary>Both must lie inside the pushed repository: the hook URL is a secret, but the paths are still input.</summary>
    public bool AreInside(string repository)
    {
        var root = Path.GetFullPath(repository) + Path.DirectorySeparatorChar;
        return (AlternateObjectDirectories ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append(ObjectDirectory ?? "")
            .Where(p => p.Length > 0)
            .All(p => Path.GetFullPath(p, repository).StartsWith(root, StringComparison.Ordinal));
    }

    public IReadOnlyDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(ObjectDirectory))
        {
            environment["GIT_OBJECT_DIRECTORY"] = ObjectDirectory;
        }

        if (!string.IsNullOrEmpty(AlternateObjectDirectories))
        {
            environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = AlternateObjectDirectories;
        }

        return environment;
    }
}
