namespace Slipway.Runtime.Tests.Sandbox;

/// <summary>The pipes this test process holds open, seen through <c>/proc/self/fd</c>.</summary>
public static class OpenPipes
{
    /// <summary>The command to run in a tree: prints its stdout's pipe (<c>pipe:[inode]</c>; inodes are host-wide, even inside a sandbox).</summary>
    public const string PrintStdout = "readlink /proc/self/fd/1";

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
