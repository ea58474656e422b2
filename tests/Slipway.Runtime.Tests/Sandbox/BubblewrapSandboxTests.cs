using System.Net;
using System.Net.Sockets;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Tests.Sandbox;

public class BubblewrapSandboxTests(BubblewrapSandboxFixture fixture) : IClassFixture<BubblewrapSandboxFixture>
{
    private int HostUid => fixture.UidBase + 1;

    [Fact]
    public async Task Start_RunsAsUid1000Inside_MappedToTheAppsHostUid()
    {
        var lines = new OutputLines();
        await using var process = await fixture.Sandbox.StartAsync(
            Spec(["/bin/bash", "-c", "id -u; id -g; grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; hostname; echo ready; sleep 30"], lines),
            TestContext.Current.CancellationToken);
        await lines.WaitForAsync("ready");

        // Seen from the host, every process of the tree (bwrap included) is the app's uid and gid, never root, with no
        // supplementary group; the outer bwrap, which slipway-dyno-start dropped to that uid, holds no capability at all.
        var statuses = CgroupProcs(process.Id).Select(pid => File.ReadAllLines($"/proc/{pid}/status")).ToList();
        Assert.NotEmpty(statuses);
        string[] ids = [HostUid.ToString(), HostUid.ToString(), HostUid.ToString(), HostUid.ToString()];
        Assert.All(statuses, status =>
        {
            Assert.Contains(string.Join('\t', ["Uid:", .. ids]), status);
            Assert.Contains(string.Join('\t', ["Gid:", .. ids]), status);
            Assert.Contains("Groups:\t", status.Select(l => l.TrimEnd(' ')));
        });
        var outer = File.ReadAllLines($"/proc/{process.Pid}/status");
        Assert.All(["CapInh", "CapPrm", "CapEff", "CapAmb"], set => Assert.Contains($"{set}:\t0000000000000000", outer));
        Assert.Contains("NoNewPrivs:\t1", outer);
        var output = lines.All;
        Assert.Equal("1000", output[0]);
        Assert.Equal("1000", output[1]);
        Assert.Contains("CapEff:\t0000000000000000", output);
        Assert.Contains("NoNewPrivs:\t1", output);
        Assert.Contains("Seccomp:\t2", output);
        Assert.Equal("web.1", output[^2]);
    }

    [Fact]
    public async Task Start_TreeRunsAtDefaultNiceAndPolicy_ThoughTheLauncherIsRaised()
    {
        // /proc/PID/stat: field 19 is the nice value, field 41 the scheduling policy (0 = SCHED_OTHER); -10 is LauncherPriority.Nice.
        var (exit, output) = await RunAsync("awk '{print $19, $41}' /proc/self/stat");

        Assert.Equal(0, exit);
        Assert.Equal(["0 0"], output);
        var launcher = Directory.GetDirectories("/proc/self/task").Single(task => File.ReadAllText(Path.Combine(task, "comm")) == "slipway-sandbox\n");
        var stat = File.ReadAllText(Path.Combine(launcher, "stat"));
        Assert.Equal("-10", stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
    }

    [Fact]
    public async Task Start_ShowsACuratedEtc_NotTheHosts()
    {
        var (exit, output) = await RunAsync("cat /etc/shadow 2>/dev/null || echo no-shadow; cat /etc/passwd; test -e /etc/ssl/certs/ca-certificates.crt && echo certs; env");

        Assert.Equal(0, exit);
        Assert.Equal("no-shadow", output[0]);
        Assert.Contains("dyno:x:1000:1000:dyno:/app:/bin/bash", output);
        Assert.DoesNotContain(output, l => l.StartsWith("daemon:", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.StartsWith("DOTNET_", StringComparison.Ordinal) || l.StartsWith("HOME=/root", StringComparison.Ordinal));
        Assert.Contains("GREETING=hello", output);
    }

    [Fact]
    public async Task Start_ShowsOnlyTheCuratedSslFiles_ReadOnly()
    {
        var (exit, output) = await RunAsync("ls /etc/ssl; ls /etc/ssl/certs | grep -c pem; touch /etc/x 2>/dev/null && echo wrote || echo ro-etc");

        Assert.Equal(0, exit);
        Assert.Equal(["certs", "openssl.cnf"], output.Take(2));
        Assert.True(int.Parse(output[2]) > 0, "the host's CA certificates are shown");
        Assert.Equal("ro-etc", output[^1]);
    }

    [Fact]
    public async Task Start_HidesTheDataDirectoryAndHostFilesystem()
    {
        var (exit, output) = await RunAsync($"ls {fixture.Data.Root} 2>/dev/null || echo no-data; ls /root 2>/dev/null || echo no-root; ls /work 2>/dev/null || echo no-work; touch /new 2>/dev/null || echo ro-root");

        Assert.Equal(0, exit);
        Assert.Equal(["no-data", "no-root", "no-work", "ro-root"], output);
    }

    [Fact]
    public async Task Firewall_RejectsLocalConnections_ExceptTheAllowedPorts()
    {
        var script = $"(echo > /dev/tcp/127.0.0.1/{fixture.DeniedPort}) 2>/dev/null && echo denied-open || echo denied-refused; " +
                     $"(echo > /dev/tcp/127.0.0.1/{fixture.AllowedPort}) 2>/dev/null && echo allowed-open || echo allowed-refused";
        var (exit, output) = await RunAsync(script);

        Assert.Equal(0, exit);
        Assert.Equal(["denied-refused", "allowed-open"], output);
    }

    [Fact]
    public async Task Landlock_BindsOnlyItsOwnPort_AndReachesNoAbstractSocketOutsideTheTree()
    {
        var gaps = SandboxCapabilities.LandlockGaps();
        Assert.SkipWhen(gaps is not null, gaps ?? "");
        using var host = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var hostSocket = "slipway-test-" + Guid.NewGuid().ToString("N");
        host.Bind(new UnixDomainSocketEndPoint("\0" + hostSocket));
        host.Listen();
        int own = FreePort(), other = FreePort();
        var script = string.Join('\n',
            "import socket",
            "def attempt(name, act):\n try:\n  act(); print(name, 'ok')\n except OSError as e: print(name, e.errno)",
            $"attempt('own', lambda: socket.socket().bind(('127.0.0.1', {own})))",
            $"attempt('other', lambda: socket.socket().bind(('127.0.0.1', {other})))",
            "attempt('ephemeral', lambda: socket.socket().bind(('127.0.0.1', 0)))",
            $"attempt('host-abstract', lambda: socket.socket(socket.AF_UNIX).connect('\\0{hostSocket}'))",
            "inner = socket.socket(socket.AF_UNIX); inner.bind('\\0inner-' + str(id(inner))); inner.listen()",
            "attempt('own-abstract', lambda: socket.socket(socket.AF_UNIX).connect(inner.getsockname()))");
        var output = new OutputLines();
        var spec = Spec(["/usr/bin/python3", "-c", script], output);
        spec = spec with { Environment = new Dictionary<string, string>(spec.Environment) { ["PORT"] = $"{own}" } };
        await using var process = await fixture.Sandbox.StartAsync(spec, TestContext.Current.CancellationToken);

        Assert.True(await process.Exited == 0, string.Join('\n', output.All));
        Assert.Equal(["own ok", "other 13", "ephemeral ok", "host-abstract 1", "own-abstract ok"], output.All);
    }

    [Fact]
    public async Task Seccomp_DeniesMountAndNewNamespaces()
    {
        var script = "mount -t tmpfs none /tmp 2>/dev/null && echo mounted || echo no-mount; " +
                     "unshare -U true 2>/dev/null && echo unshared || echo no-unshare; " +
                     "unshare -n true 2>/dev/null && echo unshared-net || echo no-unshare-net; " +
                     "python3 -c 'import os; os.unshare(os.CLONE_NEWUSER)' 2>/dev/null && echo py-unshared || echo py-no-unshare";
        var (exit, output) = await RunAsync(script);

        Assert.Equal(0, exit);
        Assert.Equal(["no-mount", "no-unshare", "no-unshare-net", "py-no-unshare"], output);
    }

    [Fact]
    public async Task MemoryLimit_KillsAHog()
    {
        var output = new OutputLines();
        var spec = Spec(["/usr/bin/tail", "/dev/zero"], output) with { MemoryLimitBytes = 64L * 1024 * 1024 };
        await using var process = await fixture.Sandbox.StartAsync(spec, TestContext.Current.CancellationToken);

        Assert.Equal(137, await process.Exited);
    }

    [Fact]
    public async Task PidsLimit_Holds()
    {
        var script = "import os\nn = 0\ntry:\n    while n < 200:\n        if os.fork() == 0:\n            import time; time.sleep(30)\n        n += 1\nexcept OSError:\n    pass\nprint(n, flush=True)\nos._exit(0)";
        var output = new OutputLines();
        var spec = Spec(["/usr/bin/python3", "-c", script], output) with { PidsMax = 20 };
        await using var process = await fixture.Sandbox.StartAsync(spec, TestContext.Current.CancellationToken);

        Assert.Equal(0, await process.Exited);
        Assert.InRange(int.Parse(output.All.Single()), 1, 19);
    }

    [Fact]
    public async Task Stop_DeliversSigtermToTheApp()
    {
        var output = new OutputLines();
        await using var process = await fixture.Sandbox.StartAsync(
            Spec(["/bin/bash", "-c", "trap 'echo got TERM; exit 143' TERM; echo ready; while :; do sleep 0.1; done"], output),
            TestContext.Current.CancellationToken);
        await output.WaitForAsync("ready");

        var result = await process.StopAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal(new SandboxStopResult(143, Killed: false), result);
        Assert.Contains("got TERM", output.All);
    }

    [Fact]
    public async Task Stop_RightAfterStart_TerminatesTheAppAsItAppears_InsteadOfWaitingOutTheGrace()
    {
        // No wait for "ready": the stop may come while bwrap is still building the namespace, before the app exists.
        var output = new OutputLines();
        await using var process = await fixture.Sandbox.StartAsync(
            Spec(["/bin/bash", "-c", "trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done"], output),
            TestContext.Current.CancellationToken);

        var result = await process.StopAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.False(result.Killed, $"the app was SIGKILLed after the grace (status {result.ExitStatus}): its SIGTERM never reached it");
        Assert.Empty(CgroupProcs(process.Id));
    }

    [Fact]
    public async Task Stop_KillsAnAppThatIgnoresSigterm_AfterTheGracePeriod()
    {
        var output = new OutputLines();
        await using var process = await fixture.Sandbox.StartAsync(
            Spec(["/bin/bash", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"], output),
            TestContext.Current.CancellationToken);
        await output.WaitForAsync("ready");

        var result = await process.StopAsync(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Equal(new SandboxStopResult(137, Killed: true), result);
        Assert.Empty(CgroupProcs(process.Id));
    }

    [Fact]
    public async Task MemoryUsage_IsReadFromTheCgroup()
    {
        var output = new OutputLines();
        await using var process = await fixture.Sandbox.StartAsync(Spec(["/bin/bash", "-c", "echo ready; sleep 30"], output), TestContext.Current.CancellationToken);
        await output.WaitForAsync("ready");

        Assert.True(process.MemoryUsageBytes() > 0);
    }

    [Fact]
    public async Task Start_WeighsTheInstancesDynosTogetherAsOneBusyTaskPerCore()
    {
        // One weight for the whole parent group would give a dyno's threads less CPU than the same app run bare under load.
        var output = new OutputLines();
        await using var process = await fixture.Sandbox.StartAsync(Spec(["/bin/bash", "-c", "echo ready; sleep 30"], output), TestContext.Current.CancellationToken);
        await output.WaitForAsync("ready");

        var parent = "slipway-" + fixture.Sandbox.Options.InstanceId;
        var (file, expected) = File.Exists("/sys/fs/cgroup/cgroup.controllers")
            ? ($"/sys/fs/cgroup/{parent}/cpu.weight", Math.Min(100 * Environment.ProcessorCount, 10_000))
            : ($"/sys/fs/cgroup/cpu/{parent}/cpu.shares", 1024 * Environment.ProcessorCount);
        Assert.Equal(expected, int.Parse(File.ReadAllText(file).Trim()));
    }

    [Fact]
    public async Task ReapLeftovers_KillsTreesNotKept()
    {
        var kept = new OutputLines();
        var leftover = new OutputLines();
        await using var keep = await fixture.Sandbox.StartAsync(Spec(["/bin/bash", "-c", "echo ready; sleep 60"], kept), TestContext.Current.CancellationToken);
        await using var reap = await fixture.Sandbox.StartAsync(Spec(["/bin/bash", "-c", "echo ready; sleep 60"], leftover), TestContext.Current.CancellationToken);
        await kept.WaitForAsync("ready");
        await leftover.WaitForAsync("ready");

        await fixture.Sandbox.ReapLeftoversAsync(new HashSet<string> { keep.Id }, TestContext.Current.CancellationToken);

        Assert.Equal(137, await reap.Exited);
        Assert.False(keep.Exited.IsCompleted);
        Assert.False(Directory.Exists(CgroupDirectory(reap.Id)));
    }

    [Fact]
    public async Task Dispose_ClosesTheTreesPipes_WithoutWaitingForTheGarbageCollector()
    {
        var output = new OutputLines();
        await OpenPipes.AssertDisposeClosesTheTreesPipesAsync(fixture.Sandbox, Spec(["/bin/bash", "-c", OpenPipes.PrintStdout], output), output);
    }

    private async Task<(int Exit, IReadOnlyList<string> Output)> RunAsync(string script)
    {
        var output = new OutputLines();
        await using var process = await fixture.Sandbox.StartAsync(Spec(["/bin/bash", "-c", script], output), TestContext.Current.CancellationToken);
        var exit = await process.Exited;
        return (exit, output.All);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private SandboxSpec Spec(IReadOnlyList<string> command, OutputLines output) => new()
    {
        Id = "test-" + Guid.NewGuid().ToString("N"),
        Command = command,
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["GREETING"] = "hello", ["HOME"] = "/tmp" },
        WorkingDirectory = "/tmp",
        HostUid = HostUid,
        Hostname = "web.1",
        PidsMax = 100,
        OnOutputLine = output.Add,
    };

    private string CgroupDirectory(string id)
    {
        var v2 = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        var parent = "slipway-" + fixture.Sandbox.Options.InstanceId;
        return v2 ? $"/sys/fs/cgroup/{parent}/{id}" : $"/sys/fs/cgroup/memory/{parent}/{id}";
    }

    private string[] CgroupProcs(string id)
    {
        var procs = Path.Combine(CgroupDirectory(id), "cgroup.procs");
        return File.Exists(procs) ? File.ReadAllLines(procs) : [];
    }
}
