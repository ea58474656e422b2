using System.Diagnostics;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Tests.Sandbox;

public class TreeMountNamespaceTests
{
    /// <summary>
    /// A thread started from the launcher while it is inside a dyno's namespace (the runtime starts thread-pool, tiering
    /// and GC threads from whichever thread first needs one) shares the launcher's filesystem context; setns then failed
    /// with EINVAL ("could not leave a dyno's mount namespace"), and the dyno crashed with H99 (a wake answered 503 H10).
    /// </summary>
    [Fact]
    public void Launcher_KeepsSwitchingNamespaces_WhileAThreadItStartedInsideOneLives()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.UserName == "root", "mount namespaces and overlays need root on Linux (CI is root)");
        var root = Directory.CreateTempSubdirectory("slipway-treens-").FullName;
        using var release = new ManualResetEventSlim();
        Thread? stray = null;
        Exception? failure = null;
        try
        {
            // One dedicated thread plays the mounts thread and the launcher, as ProcessLauncher's threads do.
            var launcher = new Thread(() =>
            {
                try
                {
                    for (var round = 0; round < 2; round++)
                    {
                        using var tree = TreeMountNamespace.Prepare(Overlay(root, round));
                        using var process = TreeMountNamespace.StartIn(tree, new ProcessStartInfo("/usr/bin/test", ["-e", Path.Combine(root, $"target{round}", "slug-file")]), info =>
                        {
                            stray ??= new Thread(() => release.Wait()) { IsBackground = true };
                            if (!stray.IsAlive)
                            {
                                stray.Start(); // born in the dyno's namespace, sharing this thread's filesystem context
                            }

                            return Process.Start(info)!;
                        });
                        process.WaitForExit();
                        Assert.Equal(0, process.ExitCode); // the overlay is mounted where the tree looks
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            launcher.Start();
            launcher.Join();

            Assert.Null(failure);
            Assert.False(File.Exists(Path.Combine(root, "target0", "slug-file")), "the overlay must not be mounted in the host's namespace");
        }
        finally
        {
            release.Set();
            stray?.Join();
            Directory.Delete(root, recursive: true);
        }
    }

    private static SandboxOverlay Overlay(string root, int round)
    {
        string Dir(string name) => Directory.CreateDirectory(Path.Combine(root, name + round)).FullName;
        var lower = Dir("lower");
        File.WriteAllText(Path.Combine(lower, "slug-file"), "from the slug");
        return new SandboxOverlay(lower, Dir("upper"), Dir("work"), Dir("target"));
    }
}
