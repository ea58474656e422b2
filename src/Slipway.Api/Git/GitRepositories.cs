using System.Collections.Concurrent;
using Slipway.Core.Platform;

namespace Slipway.Api.Git;

/// <summary>One bare repository per app under <c>{data}/repos/{appId}.git</c>, created on first use with the deploy hook installed.</summary>
public sealed class GitRepositories(DataDirectory data)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _initLocks = new(StringComparer.Ordinal);

    public string Root => Path.Combine(data.Root, "repos");

    public string PathOf(string appId) => Path.Combine(Root, appId + ".git");

    /// <summary>The app's repository, initialised (branch <c>main</c>) if missing; the hook is rewritten each time so upgrades reach old repos.</summary>
    public async Task<string> EnsureAsync(string appId, CancellationToken cancellationToken)
    {
        var path = PathOf(appId);
        var gate = _initLocks.GetOrAdd(appId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(Path.Combine(path, "HEAD")))
            {
                Directory.CreateDirectory(Root);
                File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                var init = await GitCommand.RunAsync(Root, ["init", "--bare", "--quiet", "--initial-branch=main", path], cancellationToken: cancellationToken);
                if (init.ExitCode != 0)
                {
                    throw new InvalidOperationException($"git init failed for {path}: {init.Error}");
                }
            }

            await DeployHook.InstallAsync(path, cancellationToken);
            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes an app's repository (the app is being destroyed).</summary>
    public void Delete(string appId)
    {
        var path = PathOf(appId);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
