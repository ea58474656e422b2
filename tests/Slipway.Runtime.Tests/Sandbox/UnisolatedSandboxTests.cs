using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Tests.Sandbox;

public class UnisolatedSandboxTests
{
    private const int HostUid = 64101;
    private readonly UnisolatedSandbox _sandbox = new();

    [Fact]
    public async Task Start_RunsAsHostUidNotRoot_WithExactlyTheSpecEnvironment()
    {
        SkipUnlessLinux();
        var output = new OutputLines();
        await using var process = await _sandbox.StartAsync(Spec(["/bin/sh", "-c", "id -u; env | sort"], output), TestContext.Current.CancellationToken);

        Assert.Equal(0, await process.Exited);
        var expectedUid = Environment.UserName == "root" ? HostUid : int.Parse(output.All[0]);
        Assert.Equal([expectedUid.ToString(), "GREETING=hello world", "PATH=/usr/bin:/bin"], output.All.Where(l => l != "PWD=/" && l != "SHLVL=1" && !l.StartsWith("_=", StringComparison.Ordinal)));
        Assert.NotEqual("0", output.All[0]);
    }

    [Fact]
    public async Task Start_MapsWorkingDirectoryThroughMounts_AndMergesStderr()
    {
        SkipUnlessLinux();
        var dir = Directory.CreateTempSubdirectory("slipway-unisolated-");
        try
        {
            File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_101_101);
            var output = new OutputLines();
            var mount = new SandboxMount(dir.FullName, "/app", ReadOnly: false);
            var spec = Spec(["/bin/sh", "-c", "pwd; echo oops >&2; exit 3"], output) with { WorkingDirectory = "/app", Mounts = [mount] };
            await using var process = await _sandbox.StartAsync(spec, TestContext.Current.CancellationToken);

            Assert.Equal(3, await process.Exited);
            Assert.Equal([dir.FullName, "oops"], output.All);
            Assert.Equal(dir.FullName, _sandbox.PathInside(mount));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Stop_DeliversSigtermToTheApp()
    {
        SkipUnlessLinux();
        var output = new OutputLines();
        await using var process = await _sandbox.StartAsync(Spec(["/bin/bash", "-c", "trap 'echo got TERM; exit 143' TERM; echo ready; while :; do sleep 0.1; done"], output), TestContext.Current.CancellationToken);
        await output.WaitForAsync("ready");

        var result = await process.StopAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal(new SandboxStopResult(143, Killed: false), result);
        Assert.Contains("got TERM", output.All);
    }

    [Fact]
    public async Task Stop_KillsATreeThatIgnoresSigterm_AfterTheGracePeriod()
    {
        SkipUnlessLinux();
        var output = new OutputLines();
        await using var process = await _sandbox.StartAsync(Spec(["/bin/bash", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"], output), TestContext.Current.CancellationToken);
        await output.WaitForAsync("ready");

        var result = await process.StopAsync(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Equal(new SandboxStopResult(137, Killed: true), result);
    }

    [Fact]
    public async Task Exit_KillsLeftoverChildren_SoOutputDrains()
    {
        SkipUnlessLinux();
        var output = new OutputLines();
        await using var process = await _sandbox.StartAsync(Spec(["/bin/sh", "-c", "sleep 1000 & echo started"], output), TestContext.Current.CancellationToken);

        Assert.Equal(0, await process.Exited);
        Assert.Equal(["started"], output.All);
    }

    [Fact]
    public async Task Dispose_ClosesTheTreesPipes_WithoutWaitingForTheGarbageCollector()
    {
        SkipUnlessLinux();
        var output = new OutputLines();
        await OpenPipes.AssertDisposeClosesTheTreesPipesAsync(_sandbox, Spec(["/bin/sh", "-c", OpenPipes.PrintStdout], output), output);
    }

    private static SandboxSpec Spec(IReadOnlyList<string> command, OutputLines output) => new()
    {
        Id = "unisolated-" + Guid.NewGuid().ToString("N"),
        Command = command,
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["GREETING"] = "hello world" },
        WorkingDirectory = "/",
        HostUid = HostUid,
        OnOutputLine = output.Add,
    };

    private static void SkipUnlessLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("UnisolatedSandbox needs Linux (setsid, setpriv).");
        }
    }
}
