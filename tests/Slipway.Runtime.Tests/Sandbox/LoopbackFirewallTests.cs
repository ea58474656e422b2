using System.Diagnostics;
using Slipway.Core.Platform;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Tests.Sandbox;

public class LoopbackFirewallTests
{
    [Fact]
    public void Install_ReplacesAStaleTableOfTheSameInstance_AndRemoveDeletesIt()
    {
        if (!SandboxCapabilities.Detect().CanSandbox)
        {
            Assert.Skip(SandboxCapabilities.Detect().Describe());
        }

        var options = new SandboxOptions
        {
            DataDirectory = new DataDirectory("/nonexistent"),
            InstanceId = "fwtest_" + Environment.ProcessId,
            UidBase = 64600,
            UidCount = 10,
            AllowedLocalPorts = [8080],
        };
        var stale = new LoopbackFirewall(options with { AllowedLocalPorts = [1234] });
        var firewall = new LoopbackFirewall(options);
        try
        {
            stale.Install();
            firewall.Install();

            var table = ListTable(firewall.TableName);
            Assert.Contains("meta skuid 64600-64609", table, StringComparison.Ordinal);
            Assert.Contains("8080", table, StringComparison.Ordinal);
            Assert.DoesNotContain("1234", table, StringComparison.Ordinal);
        }
        finally
        {
            firewall.Remove();
        }

        Assert.Null(ListTable(firewall.TableName));
    }

    [Fact]
    public void Options_RejectAnInstanceIdThatCannotNameATable()
    {
        var options = new SandboxOptions { DataDirectory = new DataDirectory("/x"), InstanceId = "bad id;" };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    private static string? ListTable(string name)
    {
        using var nft = Process.Start(new ProcessStartInfo("/usr/sbin/nft", ["list", "table", "inet", name]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = nft.StandardOutput.ReadToEnd();
        nft.StandardError.ReadToEnd();
        nft.WaitForExit();
        return nft.ExitCode == 0 ? output : null;
    }
}
