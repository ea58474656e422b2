using System.Collections.Concurrent;
using System.Security.Cryptography;
using Slipway.Core.Accounts;
using Slipway.Core.Apps;

namespace Slipway.Api.Git;

/// <summary>A <c>git receive-pack</c> in progress: who pushes to which app. Its id is the unguessable secret in the hook's callback URL.</summary>
public sealed record GitPush(string Id, App App, Account Account, string Repository);

/// <summary>Pushes in progress, and one deploy lock per app so concurrent pushes to an app run one after another.</summary>
public sealed class GitPushes
{
    private readonly ConcurrentDictionary<string, GitPush> _pushes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _deployLocks = new(StringComparer.Ordinal);

    public GitPush Begin(App app, Account account, string repository)
    {
        var push = new GitPush(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), app, account, repository);
        _pushes[push.Id] = push;
        return push;
    }

    public void End(GitPush push) => _pushes.TryRemove(push.Id, out _);

    public GitPush? Find(string id) => _pushes.GetValueOrDefault(id);

    public SemaphoreSlim DeployLock(string appId) => _deployLocks.GetOrAdd(appId, _ => new SemaphoreSlim(1, 1));
}
