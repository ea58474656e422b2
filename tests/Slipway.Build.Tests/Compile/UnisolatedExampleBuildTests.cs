using Slipway.Build.Tests.TestSupport;
using Slipway.Runtime.Sandbox;

namespace Slipway.Build.Tests.Compile;

/// <summary>The examples built and run as plain processes (<c>--isolation none</c>).</summary>
public sealed class UnisolatedExampleBuildTests : IDisposable
{
    private readonly BuildHarness _harness = new(_ => new UnisolatedSandbox());

    public void Dispose() => _harness.Dispose();

    [Fact]
    public Task Build_NodeHello_Works() => ExampleBuilds.NodeHelloAsync(_harness);

    [Fact]
    public Task Build_PythonHello_Works() => ExampleBuilds.PythonHelloAsync(_harness);

    [Fact]
    public Task Build_StaticSite_Works() => ExampleBuilds.StaticSiteAsync(_harness);

    [Fact]
    public Task Build_DotnetHello_Works() => ExampleBuilds.DotnetHelloAsync(_harness);
}
