using System.Collections.Concurrent;
using System.Security.Cryptography;
using Slipway.Core.Accounts;
using Slipway.Core.Apps;

namespace Slipway.Api.Git;

/// <summary>A <c>git receive-pack</c> in progress: who pushes to which app. Its id is the unguessable secret in the hook's callback URL.</summary>
public sealed class GitPush(string id, App app, Account account, string repository)
{
    private readonly Lock _gate = new();
    private SemaphoreSlim? _heldLock;
    private bool _ended;

    public string Id { get; } = id;

    public App App { get; } = app;

    public Account Account { get; } = account;

    public string Repository { get; } = repository;

    /// <summary>
    /// Keeps the app's deploy lock until receive-pack has updated the ref (which git does after the hook exits), so a push
    /// that waited for this one sees where the branch really is.
    /// </summary>
    public void Hold(SemaphoreSlim deployLock)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                _heldLock = deployLock;
                return;
            }
        }

        deployLock.Release(); // the push is already over (the pusher hung up): never strand the lock
    }

    public void ReleaseHeld()
    {
        SemaphoreSlim? held;
        lock (_gate)
        {
            _ended = true;
            (held, _heldLock) = (_heldLock, null);
        }

        held?.Release();
    }
}

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

    /// <summary>The receive-pack is over (refs updated or not): forget the push and let the next one deploy.</summary>
    public void End(GitPush push)
    {
        _pushes.TryRemove(push.Id, out _);
        push.ReleaseHeld();
    }

    public GitPush? Find(string id) => _pushes.GetValueOrDefault(id);

    public SemaphoreSlim DeployLock(string appId) => _deployLocks.GetOrAdd(appId, _ => new SemaphoreSlim(1, 1));
}
