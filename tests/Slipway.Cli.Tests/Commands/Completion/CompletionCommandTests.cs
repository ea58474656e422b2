using System.Diagnostics;
using Slipway.Cli.Tests.Infrastructure;

namespace Slipway.Cli.Tests.Commands.Completion;

public class CompletionCommandTests
{
    [Fact]
    public async Task Complete_APartialCommand_OffersTheCommandsItStarts()
    {
        var result = await new CliRunner().RunAsync("__complete", " apps:");
        Assert.Equal(0, result.ExitCode);
        var offered = Lines(result.Out);
        Assert.Contains("apps:create", offered);
        Assert.Contains("apps:destroy", offered);
        Assert.DoesNotContain("config:set", offered);
    }

    [Fact]
    public async Task Complete_AfterACommand_OffersItsOptions_AndShellNames()
    {
        var options = Lines((await new CliRunner().RunAsync("__complete", "ps:scale --")).Out);
        Assert.Contains("--app", options);

        var shells = Lines((await new CliRunner().RunAsync("__complete", "completion ")).Out);
        Assert.Equal(["bash", "zsh"], shells.Where(s => !s.StartsWith('-')).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("/?", shells);
    }

    [Fact]
    public async Task Completion_PrintsAScriptBashAccepts()
    {
        var script = (await new CliRunner().RunAsync("completion", "bash")).Out;
        Assert.Contains("complete -o default -F _slipway_complete slipway", script);
        if (!File.Exists("/bin/bash"))
        {
            Assert.Skip("bash is not installed.");
        }

        // Sourcing it defines the function and registers it for slipway.
        using var bash = Process.Start(new ProcessStartInfo("/bin/bash", ["--noprofile", "--norc", "-c", $"{script}\ncomplete -p slipway"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, bash.ExitCode);
        Assert.Contains("_slipway_complete", output);
    }

    [Fact]
    public async Task Completion_UnknownShell_IsAUsageError()
    {
        var result = await new CliRunner().RunAsync("completion", "fish");
        Assert.Equal(2, result.ExitCode);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
