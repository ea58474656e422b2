using System.Diagnostics;

namespace Slipway.EndToEnd.Tests.Git;

/// <summary>A throw-away git work tree driven by the real git binary, isolated from the machine's git config and proxies.</summary>
public sealed class LocalRepo : IDisposable
{
    private readonly string _home;

    public LocalRepo(string? copyFrom = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "slipway-git-" + Guid.NewGuid().ToString("N")[..8]);
        _home = Path + "-home";
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(_home);
        if (copyFrom is not null)
        {
            CopyTree(copyFrom, Path);
        }
    }

    public string Path { get; }

    /// <summary>The HOME git runs with (its ~/.netrc, its config).</summary>
    public string Home => _home;

    public static async Task<LocalRepo> InitAsync(string copyFrom)
    {
        var repo = new LocalRepo(copyFrom);
        await repo.MustAsync("init", "-q", "-b", "main");
        await repo.CommitAllAsync("First deploy");
        return repo;
    }

    public async Task CommitAllAsync(string message)
    {
        await MustAsync("add", "-A");
        await MustAsync("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", message);
    }

    public async Task<string> HeadAsync() => (await MustAsync("rev-parse", "HEAD")).Output.Trim();

    public async Task<GitResult> MustAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result}");
        return result;
    }

    public Task<GitResult> RunAsync(params string[] args) => RunWithTokenAsync(null, args);

    /// <summary>Runs git; <paramref name="token"/> answers git's Basic challenge through a credential helper, as Heroku's does.</summary>
    public async Task<GitResult> RunWithTokenAsync(string? token, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (token is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"credential.helper=!f() {{ echo username=git; echo password={token}; }}; f");
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal) || k.Contains("proxy", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["HOME"] = _home;
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new GitResult(process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        foreach (var directory in new[] { Path, _home })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(from, file);
            if (relative.Split(System.IO.Path.DirectorySeparatorChar).Any(p => p is "node_modules" or "bin" or "obj" or ".git"))
            {
                continue;
            }

            var target = System.IO.Path.Combine(to, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

public sealed record GitResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
