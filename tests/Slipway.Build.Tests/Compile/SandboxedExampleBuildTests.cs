using Slipway.Build.Tests.TestSupport;
using Slipway.Runtime.Sandbox;

namespace Slipway.Build.Tests.Compile;

/// <summary>The examples built and run under bubblewrap as an unprivileged uid (needs root and bwrap; skipped otherwise).</summary>
public sealed class SandboxedExampleBuildTests
{
    [Fact]
    public Task Build_NodeHello_InBubblewrap_Works() => WithSandboxAsync(ExampleBuilds.NodeHelloAsync);

    [Fact]
    public Task Build_PythonHello_InBubblewrap_Works() => WithSandboxAsync(ExampleBuilds.PythonHelloAsync);

    [Fact]
    public Task Build_StaticSite_InBubblewrap_Works() => WithSandboxAsync(ExampleBuilds.StaticSiteAsync);

    private static async Task WithSandboxAsync(Func<BuildHarness, Task> test)
    {
        if (!BuildHarness.IsRoot || !File.Exists("/usr/bin/bwrap"))
        {
            Assert.Skip("The bubblewrap sandbox needs root and /usr/bin/bwrap.");
        }

        BuildHarness harness;
        try
        {
            harness = new BuildHarness(data => new BubblewrapSandbox(new SandboxOptions { DataDirectory = data, InstanceId = "buildtests" }));
        }
        catch (PlatformNotSupportedException e)
        {
            Assert.Skip("This machine cannot sandbox: " + e.Message);
            return;
        }

        using (harness)
        {
            await test(harness);
        }
    }
}
