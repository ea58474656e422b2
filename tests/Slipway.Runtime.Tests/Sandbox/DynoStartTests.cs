using System.Diagnostics;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Tests.Sandbox;

/// <summary>
/// slipway-dyno-start (Native/dyno-start.c) run directly, without a tree: it must refuse what would start an app as
/// root or with a filter it cannot read, before it execs anything. The tree it makes is tested in <see cref="BubblewrapSandboxTests"/>.
/// </summary>
public class DynoStartTests
{
    [Theory]
    [InlineData("--uid 0", "--uid must be a number other than 0 (root)")]
    [InlineData("--uid -5", "--uid must be a number other than 0 (root)")]
    [InlineData("--uid 12x", "--uid must be a number other than 0 (root)")]
    [InlineData("", "--seccomp FILE, --uid UID and a PROGRAM after -- are required")]
    [InlineData("--uid 64000 --bind-port 65536", "a --bind-port is not a port number")]
    [InlineData("--uid 64000 --no-such-option", "--no-such-option")]
    public async Task RefusesBadArguments_WithUsage_AndRunsNothing(string arguments, string message)
    {
        var (exit, output) = await RunAsync([.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--", "/usr/bin/touch", Marker]);

        Assert.Equal(2, exit);
        Assert.StartsWith($"slipway-dyno-start: {message}\nusage: slipway-dyno-start", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Marker));
    }

    [Fact]
    public async Task DropsToTheGivenUid_WithNoGroupsNoCapabilitiesAndNoNewPrivileges()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "slipway-dyno-start drops root: it needs to start as root (CI does)");

        var (exit, output) = await RunAsync(["--uid", "64001", "--", "/usr/bin/grep", "-E", "^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs):", "/proc/self/status"]);

        Assert.Equal(0, exit);
        Assert.Equal(
            ["Uid:\t64001\t64001\t64001\t64001", "Gid:\t64001\t64001\t64001\t64001", "Groups:", "CapInh:\t0000000000000000",
             "CapPrm:\t0000000000000000", "CapEff:\t0000000000000000", "CapAmb:\t0000000000000000", "NoNewPrivs:\t1"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
    }

    private static readonly string Marker = Path.Combine(Path.GetTempPath(), "slipway-dyno-start-ran-" + Environment.ProcessId);

    /// <summary>Runs the starter with an empty seccomp file (only opened here, bwrap would load it) and its output merged.</summary>
    private static async Task<(int Exit, string Output)> RunAsync(IEnumerable<string> arguments)
    {
        Assert.SkipUnless(File.Exists(SandboxCapabilities.DynoStart), $"{SandboxCapabilities.DynoStart} is not built on this machine (Linux with a C compiler)");
        var filter = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(SandboxCapabilities.DynoStart) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments.Prepend(filter).Prepend("--seccomp"))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return (process.ExitCode, errors + await output);
        }
        finally
        {
            File.Delete(filter);
        }
    }
}
