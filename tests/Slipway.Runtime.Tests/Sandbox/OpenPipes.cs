using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Tests.Sandbox;

/// <summary>The pipes this test process holds open, seen through <c>/proc/self/fd</c>.</summary>
public static class OpenPipes
{
    /// <summary>The command to run in a tree: prints its stdout's pipe (<c>pipe:[inode]</c>; inodes are host-wide, even inside a sandbox).</summary>
    public const string PrintStdout = "readlink /proc/self/fd/1";

    /// <summary>
    /// Starts a tree that prints its stdout's pipe (<paramref name="spec"/> is given <see cref="PrintStdout"/> to run, with
    /// its output into <paramref name="output"/>) and checks this process holds that pipe until the tree is disposed, not
    /// until a full collection: each dyno start used to leave its output pipes (two fds and their sockets) open that long.
    /// </summary>
    public static async Task AssertDisposeClosesTheTreesPipesAsync(ISandbox sandbox, SandboxSpec spec, OutputLines output)
    {
        var process = await sandbox.StartAsync(spec, TestContext.Current.CancellationToken);
        Assert.Equal(0, await process.Exited);
        var pipe = Assert.Single(output.All);
        Assert.StartsWith("pipe:[", pipe);
        Assert.True(Holds(pipe));

        await process.DisposeAsync();

        Assert.False(Holds(pipe));
    }

    /// <summary>True while any descriptor of this process refers to <paramref name="pipe"/> (as <see cref="PrintStdout"/> names it).</summary>
    public static bool Holds(string pipe)
    {
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == pipe)
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // Closed by another test in the meantime.
            }
        }

        return false;
    }
}
