using System.Diagnostics;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.HerokuCli;

/// <summary>
/// The official heroku CLI (npm <c>heroku@11</c>, installed by script/bootstrap into artifacts/heroku-cli) pointed at a slipwayd.
/// Every switch that would reach the internet is off, HOME is thrown away afterwards, and no proxy variable is passed.
/// </summary>
public sealed class HerokuCliRunner : IDisposable
{
    private readonly SlipwayServer _server;
    private readonly string _home = Path.Combine(Path.GetTempPath(), "slipway-heroku-home-" + Guid.NewGuid().ToString("N")[..8]);

    public HerokuCliRunner(SlipwayServer server)
    {
        _server = server;
        Directory.CreateDirectory(_home);
    }

    /// <summary>The CLI's entry script, or null when it is not installed.</summary>
    public static string? EntryScript
    {
        get
        {
            var script = Environment.GetEnvironmentVariable("SLIPWAY_HEROKU_CLI") is { Length: > 0 } configured
                ? configured
                : Path.Combine(SlipwayServer.RepoRoot, "artifacts", "heroku-cli", "node_modules", "heroku", "bin", "run.js");
            return File.Exists(script) ? script : null;
        }
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithTokenAsync(_server.Token, args);

    public async Task<CliResult> RunWithTokenAsync(string token, params string[] args)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(EntryScript ?? throw new InvalidOperationException("The heroku CLI is not installed: run script/bootstrap."));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Only what the CLI needs: PATH (node, git), a private HOME, the Slipway API on loopback, and every phone-home switch off.
        info.Environment.Clear();
        info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        info.Environment["HOME"] = _home;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(_home, ".config");
        info.Environment["XDG_CACHE_HOME"] = Path.Combine(_home, ".cache");
        info.Environment["XDG_DATA_HOME"] = Path.Combine(_home, ".local", "share");
        info.Environment["HEROKU_HOST"] = _server.ApiUrl;
        info.Environment["HEROKU_PARTICLEBOARD_URL"] = _server.ApiUrl;
        info.Environment["HEROKU_API_KEY"] = token;
        info.Environment["DISABLE_TELEMETRY"] = "true";
        info.Environment["HEROKU_SKIP_NEW_VERSION_CHECK"] = "true";
        info.Environment["HEROKU_DISABLE_AUTOUPDATE"] = "1";
        info.Environment["HEROKU_SKIP_ANALYTICS"] = "1";
        info.Environment["NO_COLOR"] = "1";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
