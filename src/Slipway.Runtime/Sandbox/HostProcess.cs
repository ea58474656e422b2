using System.Diagnostics;
using System.Text;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// The host side of a process tree: the started process, its output pumped line by line, and its stdin.
/// Starters merge the tree's stderr into stdout (<c>exec 2&gt;&amp;1</c>) so lines keep their order.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamReader _standardOutput;
    private readonly StreamReader _standardError;
    private readonly Task _outputDrained;

    private HostProcess(Process process, Action<string>? onOutputLine, bool redirectStandardInput)
    {
        _process = process;
        Pid = process.Id; // Process.Id throws once disposed, and a signal may race the tree's end
        var gate = new object();
        void Deliver(string line)
        {
            lock (gate)
            {
                onOutputLine?.Invoke(line);
            }
        }

        _standardOutput = process.StandardOutput;
        _standardError = process.StandardError;
        _outputDrained = Task.WhenAll(PumpAsync(_standardOutput, Deliver), PumpAsync(_standardError, Deliver));
        StandardInput = redirectStandardInput ? process.StandardInput.BaseStream : null;
        MainExited = WaitForMainAsync(process);
    }

    public int Pid { get; }

    public Stream? StandardInput { get; }

    /// <summary>Completes with the exit status (128+N when killed by signal N) of the outermost process.</summary>
    public Task<int> MainExited { get; }

    /// <summary>Completes once every writer of the output pipes has gone.</summary>
    public Task OutputDrained => _outputDrained;

    /// <summary>Starts <paramref name="argv"/> with an empty environment from the launcher thread, in a mount namespace with <paramref name="overlay"/> when given.</summary>
    public static async Task<HostProcess> StartAsync(
        IReadOnlyList<string> argv, string workingDirectory, bool redirectStandardInput, Action<string>? onOutputLine, SandboxOverlay? overlay = null)
    {
        var startInfo = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStandardInput,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Nothing of slipwayd's own environment may leak into the tree; the starter passes it explicitly.
        startInfo.Environment.Clear();
        var process = await ProcessLauncher.StartAsync(startInfo, overlay);
        return new HostProcess(process, onOutputLine, redirectStandardInput);
    }

    /// <summary>
    /// Closes the pipes and releases the process handle and its exit-status bookkeeping now rather than when a full
    /// collection finalizes them: every dyno start left two open pipes, their sockets and a wait state behind until then.
    /// Process.Dispose alone closes no stream once it has been handed out. Call after <see cref="OutputDrained"/>.
    /// </summary>
    public void Dispose()
    {
        _standardOutput.Dispose();
        _standardError.Dispose();
        try
        {
            StandardInput?.Dispose();
        }
        catch (IOException)
        {
            // The tree has gone and its end of the pipe with it: there is nothing to flush to.
        }

        _process.Dispose();
    }

    private static async Task<int> WaitForMainAsync(Process process)
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> deliver)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            deliver(line);
        }
    }
}
