using System.ComponentModel;
using System.Diagnostics;

namespace Slipway.Cli.Git;

/// <summary>Runs the user's <c>git</c> binary; a missing git reads as "not a repository".</summary>
internal sealed class GitCli(string? home)
{
    public readonly record struct Result(int ExitCode, string Output, string Error)
    {
        public bool Ok => ExitCode == 0;
    }

    public async Task<Result> RunAsync(string workingDirectory, CancellationToken ct, params string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        if (home is not null)
            info.Environment["HOME"] = home;

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("git did not start");
        }
        catch (Win32Exception)
        {
            return new Result(127, "", "git is not installed");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return new Result(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
        }
    }

    public async Task<bool> IsWorkTreeAsync(string directory, CancellationToken ct) =>
        Directory.Exists(directory) &&
        (await RunAsync(directory, ct, "rev-parse", "--is-inside-work-tree")).Output == "true";

    public async Task<string?> RemoteUrlAsync(string directory, string remote, CancellationToken ct)
    {
        if (!Directory.Exists(directory))
            return null;
        var result = await RunAsync(directory, ct, "config", "--get", $"remote.{remote}.url");
        return result.Ok && result.Output.Length > 0 ? result.Output : null;
    }

    /// <summary>The commit HEAD points at, or null outside a repository or before the first commit.</summary>
    public async Task<string?> HeadShaAsync(string directory, CancellationToken ct)
    {
        if (!await IsWorkTreeAsync(directory, ct))
            return null;
        var result = await RunAsync(directory, ct, "rev-parse", "--verify", "-q", "HEAD");
        return result.Ok && result.Output.Length == 40 ? result.Output : null;
    }
}
