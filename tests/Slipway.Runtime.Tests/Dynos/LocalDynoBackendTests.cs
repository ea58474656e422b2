using Slipway.Core.Dynos;
using Slipway.Runtime.Dynos;
using Slipway.Runtime.Tests.Sandbox;

namespace Slipway.Runtime.Tests.Dynos;

public class LocalDynoBackendTests(LocalDynoBackendFixture fixture) : IClassFixture<LocalDynoBackendFixture>
{
    private int HostUid => fixture.UidBase + 7;

    private CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_SourcesProfiles_AndRunsTheCommandWithBashInApp()
    {
        var backend = Backend();
        var output = new OutputLines();
        var spec = Spec(Slug(), "echo \"$GREETING $PROFILE_RAN $(pwd) $HOME $(hostname) $(id -u) $(stat -c %u /app)\" && cat Procfile.link && stat -f -c %T /app", output);

        await using var process = await backend.StartAsync(spec, Token);

        Assert.Equal(0, await process.Exited);
        Assert.Equal(["from-profile-d yes /app /app web.1 1000 1000", "web: ./server", "overlayfs"], output.All);
        await backend.RemoveFilesystemAsync(spec.DynoId, Token);
    }

    [Fact]
    public async Task Start_GivesEveryBootAFreshCopyOfTheSlug()
    {
        var backend = Backend();
        var slug = Slug();
        var first = Spec(slug, "echo scratch > /app/scratch && echo changed > /app/Procfile && echo wrote", new OutputLines());
        await using (var process = await backend.StartAsync(first, Token))
        {
            Assert.Equal(0, await process.Exited);
        }

        await backend.RemoveFilesystemAsync(first.DynoId, Token);
        var output = new OutputLines();
        await using var second = await backend.StartAsync(Spec(slug, "ls -A /app; cat /app/Procfile", output) with { DynoId = first.DynoId }, Token);

        Assert.Equal(0, await second.Exited);
        Assert.DoesNotContain("scratch", output.All);
        Assert.Equal("web: ./server", output.All[^1]);
        Assert.Equal("web: ./server\n", File.ReadAllText(Path.Combine(slug, "Procfile")));
        Assert.False(File.Exists(Path.Combine(slug, "scratch")));
    }

    [Fact]
    public async Task TwoDynosOfOneSlug_DoNotSeeEachOthersWrites_NorTheDataDirectory()
    {
        var backend = Backend();
        var slug = Slug();
        var firstOutput = new OutputLines();
        await using var first = await backend.StartAsync(Spec(slug, "touch /app/first-was-here && echo ready && sleep 30", firstOutput), Token);
        await firstOutput.WaitForAsync("ready");

        var output = new OutputLines();
        var script = $"test -e /app/first-was-here && echo sees-first || echo alone; ls {fixture.Data.Dynos} 2>/dev/null || echo no-dynos-dir; ls {fixture.Data.Root} 2>/dev/null || echo no-data-dir";
        await using var second = await backend.StartAsync(Spec(slug, script, output), Token);

        Assert.Equal(0, await second.Exited);
        Assert.Equal(["alone", "no-dynos-dir", "no-data-dir"], output.All);
    }

    [Fact]
    public async Task Start_MountsTheOverlayOnlyInTheDynosOwnMountNamespace()
    {
        var backend = Backend();
        var output = new OutputLines();
        var spec = Spec(Slug(), "echo kept > /app/written && echo ready && sleep 30", output);
        var directory = Path.Combine(fixture.Data.Dynos, spec.DynoId);
        await using (var process = await backend.StartAsync(spec, Token))
        {
            await output.WaitForAsync("ready");

            Assert.DoesNotContain(directory, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
            Assert.Contains(directory, File.ReadAllText($"/proc/{process.Pid}/mountinfo"), StringComparison.Ordinal);
            process.Kill();
            Assert.Equal(137, await process.Exited);
        }

        // The writes stay in the host's upper directory for the discarded-writes report.
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(directory, "upper", "written")));
        await backend.RemoveFilesystemAsync(spec.DynoId, Token);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Start_ManyAtOnce_ForksEachTreeIntoItsOwnOverlaysNamespace()
    {
        // Namespaces are prepared on one thread and entered by the launcher on another: a mix-up would show here.
        var backend = Backend();
        var slug = Slug();
        var outputs = Enumerable.Range(0, 6).Select(_ => new OutputLines()).ToList();
        var specs = outputs.Select((output, i) => Spec(slug, $"echo {i} > /app/mine && echo ready && sleep 30", output)).ToList();
        var processes = await Task.WhenAll(specs.Select(spec => backend.StartAsync(spec, Token)));
        try
        {
            for (var i = 0; i < specs.Count; i++)
            {
                await outputs[i].WaitForAsync("ready");
                var mountInfo = File.ReadAllText($"/proc/{processes[i].Pid}/mountinfo");
                Assert.Contains(Path.Combine(fixture.Data.Dynos, specs[i].DynoId), mountInfo, StringComparison.Ordinal);
                Assert.All(specs.Where(other => other != specs[i]), other => Assert.DoesNotContain(other.DynoId, mountInfo, StringComparison.Ordinal));
                Assert.Equal($"{i}\n", File.ReadAllText(Path.Combine(fixture.Data.Dynos, specs[i].DynoId, "upper", "mine")));
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            foreach (var spec in specs)
            {
                await backend.RemoveFilesystemAsync(spec.DynoId, Token);
            }
        }
    }

    [Fact]
    public async Task RemoveFilesystem_DeletesTheDynoDirectory_AndLeavesNoMount()
    {
        var backend = Backend();
        var spec = Spec(Slug(), "true", new OutputLines());
        await using (var process = await backend.StartAsync(spec, Token))
        {
            await process.Exited;
        }

        var directory = Path.Combine(fixture.Data.Dynos, spec.DynoId);
        Assert.True(Directory.Exists(directory));

        await backend.RemoveFilesystemAsync(spec.DynoId, Token);

        Assert.False(Directory.Exists(directory));
        Assert.DoesNotContain(directory, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReapLeftovers_RemovesProcessesAndFilesystemsNotKept()
    {
        var backend = Backend();
        var slug = Slug();
        var keptOutput = new OutputLines();
        var leftoverOutput = new OutputLines();
        var keptSpec = Spec(slug, "echo ready; sleep 60", keptOutput);
        var leftoverSpec = Spec(slug, "echo ready; sleep 60", leftoverOutput);
        await using var kept = await backend.StartAsync(keptSpec, Token);
        await using var leftover = await backend.StartAsync(leftoverSpec, Token);
        await keptOutput.WaitForAsync("ready");
        await leftoverOutput.WaitForAsync("ready");
        var stale = Directory.CreateDirectory(Path.Combine(fixture.Data.Dynos, "stale-" + Guid.NewGuid().ToString("N")));

        await backend.ReapLeftoversAsync(new HashSet<string> { keptSpec.DynoId }, Token);

        Assert.Equal(137, await leftover.Exited);
        Assert.False(Directory.Exists(Path.Combine(fixture.Data.Dynos, leftoverSpec.DynoId)));
        Assert.False(stale.Exists);
        Assert.True(Directory.Exists(Path.Combine(fixture.Data.Dynos, keptSpec.DynoId)));
        Assert.False(kept.Exited.IsCompleted);
        await kept.StopAsync(TimeSpan.FromSeconds(5), Token);
        await backend.RemoveFilesystemAsync(keptSpec.DynoId, Token);
    }

    private LocalDynoBackend Backend() => new(fixture.Sandbox, fixture.Data);

    private string Slug() => TestSlug.Create(fixture.Data.Slug(Guid.NewGuid().ToString("N")), HostUid);

    private DynoSpec Spec(string slug, string command, OutputLines output) => new()
    {
        DynoId = Guid.NewGuid().ToString(),
        AppId = "app-1",
        AppName = "demo",
        Name = "web.1",
        Command = command,
        Environment = new Dictionary<string, string> { ["HOME"] = "/app", ["PORT"] = "5000" },
        SlugDirectory = slug,
        HostUid = HostUid,
        Size = DynoSize.Basic,
        OnOutputLine = output.Add,
    };
}
