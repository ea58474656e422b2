using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Slipway.Runtime.Sandbox;

namespace Slipway.EndToEnd.Tests.Infrastructure;

/// <summary>A real slipwayd on free loopback ports with a temporary data directory, started and stopped by the test.</summary>
public class SlipwayServer : IAsyncLifetime
{
    private static int s_instances;
    private Process _process = new();
    private readonly List<string> _output = [];

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "slipway-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public string Token { get; } = "SLPW-e2e-" + Guid.NewGuid().ToString("N");

    public int ApiPort { get; } = FreePort();

    public int RouterPort { get; } = FreePort();

    public int StoragePort { get; } = FreePort();

    /// <summary>The router's HTTPS port, with the self-signed certificate slipwayd makes in its data directory.</summary>
    public int RouterTlsPort { get; } = FreePort();

    public string ApiUrl => $"http://localhost:{ApiPort}";

    /// <summary>Why the sandbox cannot run here, or null when it can.</summary>
    public static string? CannotSandbox { get; } = SandboxCapabilities.Detect() is { CanSandbox: false } c ? c.Describe() : null;

    /// <summary>More slipwayd flags for a suite that needs other settings (short idle times, tiny quotas).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public async ValueTask InitializeAsync()
    {
        if (CannotSandbox is not null)
        {
            return;
        }

        var instance = Interlocked.Increment(ref s_instances);
        var dynoBase = 20000 + (Environment.ProcessId % 20 * 600) + (instance * 100); // below the ephemeral ports
        // SLIPWAY_SERVER_DLL runs a slipwayd built elsewhere (e.g. with --artifacts-path); the default is the normal build output.
        var server = Environment.GetEnvironmentVariable("SLIPWAY_SERVER_DLL") is { Length: > 0 } built
            ? built
            : Path.Combine(RepoRoot, "src", "Slipway.Server", "bin", "Debug", "net10.0", "slipwayd.dll");
        _process.StartInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                server, "--data-dir", DataDirectory, "--api-port", $"{ApiPort}", "--router-port", $"{RouterPort}", "--router-tls-port", $"{RouterTlsPort}", "--storage-port", $"{StoragePort}",
                "--dyno-ports", $"{dynoBase}-{dynoBase + 99}", "--uid-base", $"{500_000 + (Environment.ProcessId % 1000 * 1000) + (instance * 100)}",
                "--stop-grace-seconds", "3", "--boot-timeout-seconds", "30",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in ExtraArguments)
        {
            _process.StartInfo.ArgumentList.Add(argument);
        }

        _process.StartInfo.Environment["SLIPWAY_ADMIN_TOKEN"] = Token;
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilHealthyAsync();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"slipwayd exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync($"{ApiUrl}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"slipwayd did not become healthy:\n{Output}");
    }

    /// <summary>kill -9 of slipwayd, then a fresh start on the same data directory and ports (crash recovery).</summary>
    public async Task KillAndRestartAsync()
    {
        var startInfo = _process.StartInfo;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = new Process { StartInfo = startInfo };
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilHealthyAsync();
    }

    /// <summary>Runs another slipwayd on this one's data directory (with ports of its own) until it exits, at most 60 s.</summary>
    public async Task<CliResult> RunSecondInstanceAsync()
    {
        var arguments = _process.StartInfo.ArgumentList.ToList();
        foreach (var port in new[] { "--api-port", "--router-port", "--router-tls-port", "--storage-port" })
        {
            arguments[arguments.IndexOf(port) + 1] = $"{FreePort()}";
        }

        var startInfo = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.Environment["SLIPWAY_ADMIN_TOKEN"] = Token;
        using var second = Process.Start(startInfo)!;
        var output = second.StandardOutput.ReadToEndAsync();
        var error = second.StandardError.ReadToEndAsync();
        try
        {
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!second.HasExited)
            {
                second.Kill(entireProcessTree: true);
            }
        }

        return new CliResult(second.ExitCode, await output, await error);
    }

    /// <summary>SIGTERM to slipwayd, as an operator's stop sends, and waits (bounded) until it has exited.</summary>
    public async Task StopAsync()
    {
        _ = Kill(_process.Id, 15);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>slipwayd's pid, to check what it leaves behind.</summary>
    public int ProcessId => _process.Id;

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_process.StartInfo.FileName.Length > 0 && !_process.HasExited)
        {
            // SIGTERM: slipwayd stops its dynos and removes their mounts before it exits.
            _ = Kill(_process.Id, 15);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        await Task.CompletedTask;
    }

    /// <summary>Runs the slipway CLI in-process against this server, as the admin unless another token is given.</summary>
    public Task<CliResult> CliWithTokenAsync(string? token, params string[] args) => InvokeCliAsync(token, null, args);

    public Task<CliResult> CliAsync(params string[] args) => InvokeCliAsync(null, null, args);

    /// <summary>Runs the CLI with more environment variables (e.g. an S3 access key for the storage commands).</summary>
    public Task<CliResult> CliWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        InvokeCliAsync(null, null, args, environment);

    /// <summary>Runs the CLI with <paramref name="input"/> as its stdin.</summary>
    public Task<CliResult> CliWithInputAsync(string input, params string[] args) => InvokeCliAsync(null, input, args);

    /// <summary>Runs a CLI command that streams (e.g. <c>logs --tail</c>) into <paramref name="output"/> until it ends or <paramref name="ct"/> stops it.</summary>
    public Task<int> CliStreamingAsync(TextWriter output, TextWriter error, CancellationToken ct, params string[] args) =>
        Slipway.Cli.SlipwayCli.InvokeAsync(args, output, error, CliEnvironment(null, null), ct: ct);

    private async Task<CliResult> InvokeCliAsync(string? token, string? input, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Slipway.Cli.SlipwayCli.InvokeAsync(args, stdout, stderr, CliEnvironment(token, environment), input: input is null ? null : new StringReader(input));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private Dictionary<string, string> CliEnvironment(string? token, IReadOnlyDictionary<string, string>? environment)
    {
        var home = DataDirectory + "-home";
        Directory.CreateDirectory(home);
        var env = new Dictionary<string, string> { ["SLIPWAY_API_URL"] = ApiUrl, ["SLIPWAY_API_KEY"] = token ?? Token, ["HOME"] = home };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        return env;
    }

    /// <summary>GETs a path of an app through the router, retrying while the app is still coming up.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAppAsync(string app, string path = "/", Func<string, bool>? until = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        (HttpStatusCode, string) last = default;
        var deadline = DateTime.UtcNow.AddMinutes(3); // a router holding each request for a boot (H20 after 75 s) must not hang a test
        for (var attempt = 0; attempt < 300 && DateTime.UtcNow < deadline; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{RouterPort}{path}");
            request.Headers.Host = $"{app}.localhost";
            using var response = await http.SendAsync(request);
            last = (response.StatusCode, await response.Content.ReadAsStringAsync());
            if (until is null ? response.IsSuccessStatusCode : until(last.Item2))
            {
                return last;
            }

            await Task.Delay(100);
        }

        return last;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SLIPWAY_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Slipway.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Slipway.slnx).");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
