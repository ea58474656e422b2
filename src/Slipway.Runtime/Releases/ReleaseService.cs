using Slipway.Core.Accounts;
using Slipway.Core.Apps;
using Slipway.Core.Logs;
using Slipway.Core.Releases;
using Slipway.Data.Builds;
using Slipway.Data.Releases;
using Slipway.Runtime.Dynos;

namespace Slipway.Runtime.Releases;

/// <summary>A new release and, when its slug declares a <c>release</c> command, the release phase that decides it.</summary>
public sealed record ReleaseOutcome(Release Created, Task<Release> Finished);

/// <summary>Every change that makes a new release (deploy, config, rollback) or a new formation, with its <c>app[api]</c> log lines.</summary>
public sealed class ReleaseService(ReleaseRepository releases, BuildRepository builds, DynoManager dynos, IAppLog log, RuntimeOptions options)
{
    /// <summary>Releases a slug. <paramref name="output"/> receives the release phase's output (a build streams it).</summary>
    public async Task<ReleaseOutcome> DeployAsync(App app, Slug slug, Account user, Action<string>? output = null, CancellationToken cancellationToken = default)
    {
        var description = slug.Commit is { Length: > 0 } commit ? $"Deploy {commit[..Math.Min(7, commit.Length)]}" : "Deploy";
        Api(app, $"{description} by user {user.Email}");
        var release = await releases.CreateAsync(app.Id, slug, description, user.Id, cancellationToken: cancellationToken);
        return Released(app, release, slug, user, output);
    }

    /// <summary>Changes config vars in a new release; one made <c>byAddon</c> (its credentials) skips the release phase, as on Heroku.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Config, Release? Release)> ChangeConfigAsync(
        App app, IReadOnlyDictionary<string, string?> changes, Account user, bool byAddon = false, CancellationToken cancellationToken = default)
    {
        // Like a deploy, a config change runs the slug's release command before any dyno gets the new config.
        var current = await releases.CurrentAsync(app.Id, cancellationToken);
        var slug = current?.SlugId is null || byAddon ? null : await builds.FindSlugAsync(current.SlugId, cancellationToken);
        var releasePhase = slug?.CommandFor(ReleasePhase.ProcessType) is not null;
        var (config, release) = await releases.ChangeConfigAsync(app.Id, changes, user.Id, releasePhase, cancellationToken);
        if (release is not null)
        {
            Api(app, $"{release.Description} by user {user.Email}");
            Released(app, release, releasePhase ? slug : null, user, output: null);
        }

        return (config, release);
    }

    /// <summary>A new release with <paramref name="target"/>'s slug and config vars (add-ons are untouched, as on Heroku).</summary>
    public async Task<ReleaseOutcome> RollbackAsync(App app, Release target, Slug? slug, Account user, CancellationToken cancellationToken = default)
    {
        var description = $"Rollback to v{target.Version}";
        Api(app, $"{description} by user {user.Email}");
        var release = await releases.CreateAsync(app.Id, slug, description, user.Id, target.Config, cancellationToken);
        return Released(app, release, slug, user, output: null);
    }

    public Task<IReadOnlyDictionary<string, string>> ConfigAsync(string appId, CancellationToken cancellationToken = default) =>
        releases.GetConfigAsync(appId, cancellationToken);

    public Task<Release> InitialReleaseAsync(App app, Account user, CancellationToken cancellationToken = default) =>
        releases.CreateAsync(app.Id, slug: null, "Initial release", user.Id, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<FormationEntry>> ScaleAsync(App app, IReadOnlyList<FormationUpdate> updates, Account user, CancellationToken cancellationToken = default)
    {
        var changed = await releases.ScaleAsync(app.Id, updates, cancellationToken);
        var summary = string.Join(", ", changed.Select(f => $"{f.Type}@{f.Quantity}:{Core.Dynos.DynoSize.Find(f.Size)?.DisplayName ?? f.Size}"));
        Api(app, $"Scaled to {summary} by user {user.Email}");
        dynos.Reconcile(app.Id);
        return changed;
    }

    private ReleaseOutcome Released(App app, Release release, Slug? slug, Account user, Action<string>? output)
    {
        Api(app, $"Release v{release.Version} created by user {user.Email}");
        if (release.Status == ReleaseStatus.Pending && slug is not null)
        {
            return new ReleaseOutcome(release, RunReleasePhaseAsync(app, release, slug, user, output));
        }

        dynos.Reconcile(app.Id);
        return new ReleaseOutcome(release, Task.FromResult(release));
    }

    /// <summary>Runs <c>release: …</c> in a <c>release.N</c> dyno; only if it exits 0 do the release's dynos boot.</summary>
    private async Task<Release> RunReleasePhaseAsync(App app, Release release, Slug slug, Account user, Action<string>? output)
    {
        output?.Invoke(" !     Release command declared: this new release will not be available until the command succeeds.");
        output?.Invoke("-----> Running release command...");
        var status = -1;
        try
        {
            using var timeout = new CancellationTokenSource(options.ReleasePhaseTimeout);
            var phase = await dynos.RunAsync(app, release, slug, new OneOffRequest
            {
                Type = ReleasePhase.ProcessType,
                Command = slug.CommandFor(ReleasePhase.ProcessType)!,
                User = user.Email,
                OnOutputLine = output is null ? null : line => output("       " + line),
            }, timeout.Token);
            try
            {
                status = await phase.Exited.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                output?.Invoke($" !     The release command ran longer than {options.ReleasePhaseTimeout.TotalMinutes:0} minutes and was stopped.");
                await dynos.StopOneOffAsync(app.Id, phase.Id);
            }
        }
        catch (Exception e)
        {
            output?.Invoke($" !     The release command could not be started: {e.Message}");
        }

        var final = await releases.CompleteAsync(app.Id, release.Id, slug, status == 0);
        if (status == 0)
        {
            output?.Invoke("       Release command succeeded.");
            dynos.Reconcile(app.Id);
        }
        else
        {
            Api(app, $"Release v{release.Version} command failed by user {user.Email}");
            output?.Invoke($" !     Release command failed (exit status {status}): v{release.Version} is marked failed and the current release keeps running.");
        }

        return final;
    }

    private void Api(App app, string message) => log.Write(app.Id, LogSources.App, LogSources.ApiProcess, message);
}
