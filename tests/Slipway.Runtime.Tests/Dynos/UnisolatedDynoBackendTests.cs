using Slipway.Core.Dynos;
using Slipway.Core.Platform;
using Slipway.Runtime.Dynos;
using Slipway.Runtime.Sandbox;
using Slipway.Runtime.Tests.Sandbox;

namespace Slipway.Runtime.Tests.Dynos;

public sealed class UnisolatedDynoBackendTests : IDisposable
{
    private const int HostUid = 64501;
    private readonly DataDirectory _data = new(Directory.CreateTempSubdirectory("slipway-unisolated-dynos-").FullName);

    [Fact]
    public async Task Start_CopiesTheSlug_AndRunsInTheCopyWithProfilesSourced()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("The local dyno backend needs Linux.");
        }

        var backend = new LocalDynoBackend(new UnisolatedSandbox(), _data);
        var slug = TestSlug.Create(_data.Slug("s1"), HostUid);
        var output = new OutputLines();
        var spec = new DynoSpec
        {
            DynoId = Guid.NewGuid().ToString(),
            AppId = "app-1",
            AppName = "demo",
            Name = "web.1",
            Command = "echo \"$GREETING $PROFILE_RAN $(pwd) $HOME\"; echo changed > Procfile",
            Environment = new Dictionary<string, string> { ["HOME"] = "/app" },
            SlugDirectory = slug,
            HostUid = HostUid,
            Size = DynoSize.Basic,
            OnOutputLine = output.Add,
        };

        await using var process = await backend.StartAsync(spec, TestContext.Current.CancellationToken);

        Assert.Equal(0, await process.Exited);
        var app = Path.Combine(_data.Dynos, spec.DynoId, "app");
        Assert.Equal([$"from-profile-d yes {app} {app}"], output.All);
        Assert.Equal("web: ./server\n", File.ReadAllText(Path.Combine(slug, "Procfile")));
        await backend.RemoveFilesystemAsync(spec.DynoId, TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists(Path.Combine(_data.Dynos, spec.DynoId)));
    }

    public void Dispose() => Directory.Delete(_data.Root, recursive: true);
}
