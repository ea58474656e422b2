using Slipway.Core.Accounts;
using Slipway.Core.Apps;
using Slipway.Core.Logs;
using Slipway.Core.Releases;
using Slipway.Data.Releases;
using Slipway.Runtime.Dynos;

namespace Slipway.Runtime.Releases;

/// <summary>Every change that makes a new release (deploy, config, rollback) or a new formation, with its <c>app[api]</c> log lines.</summary>
public sealed class ReleaseService(ReleaseRepository releases, DynoManager dynos, IAppLog log)
{
    public async Task<Release> DeployAsync(App app, Slug slug, Account user, CancellationToken cancellationToken = default)
    {
        var description = slug.Commit is { Length: > 0 } commit ? $"Deploy {commit[..Math.Min(7, commit.Length)]}" : "Deploy";
        Api(app, $"{description} by user {user.Email}");
        var release = await releases.CreateAsync(app.Id, slug, description, user.Id, cancellationToken: cancellationToken);
        return Released(app, release, user);
    }

    public async Task<(IReadOnlyDictionary<string, string> Config, Release? Release)> ChangeConfigAsync(
        App app, IReadOnlyDictionary<string, string?> changes, Account user, CancellationToken cancellationToken = default)
    {
        var (config, release) = await releases.ChangeConfigAsync(app.Id, changes, user.Id, cancellationToken);
        if (release is not null)
        {
            Api(app, $"{release.Description} by user {user.Email}");
            Released(app, release, user);
        }

        return (config, release);
    }

    /// <summary>A new release with <paramref name="target"/>'s slug and config vars (add-ons are untouched, as on Heroku).</summary>
    public async Task<Release> RollbackAsync(App app, Release target, Slug? slug, Account user, CancellationToken cancellationToken = default)
    {
        var description = $"Rollback to v{target.Version}";
        Api(app, $"{description} by user {user.Email}");
        var release = await releases.CreateAsync(app.Id, slug, description, user.Id, target.Config, cancellationToken);
        return Released(app, release, user);
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

    private Release Released(App app, Release release, Account user)
    {
        Api(app, $"Release v{release.Version} created by user {user.Email}");
        dynos.Reconcile(app.Id);
        return release;
    }

    private void Api(App app, string message) => log.Write(app.Id, LogSources.App, LogSources.ApiProcess, message);
}
