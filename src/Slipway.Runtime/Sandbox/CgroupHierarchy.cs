namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Where this instance's tree cgroups live: <c>slipway-&lt;instanceId&gt;/&lt;treeId&gt;</c> in every controller
/// used, so instances on one machine never touch each other's groups. v1 or v2 is detected at start.
/// </summary>
internal abstract class CgroupHierarchy
{
    public const string Root = "/sys/fs/cgroup";

    private volatile bool _parentWeighed;

    protected CgroupHierarchy(string instanceId) => ParentName = "slipway-" + instanceId;

    protected string ParentName { get; }

    public static CgroupHierarchy Detect(string instanceId) =>
        File.Exists(Path.Combine(Root, "cgroup.controllers"))
            ? new CgroupV2Hierarchy(instanceId)
            : new CgroupV1Hierarchy(instanceId);

    /// <summary>Creates the tree's groups with its limits; returns the <c>cgroup.procs</c> files the starter joins.</summary>
    public abstract IReadOnlyList<string> Create(string treeId, CgroupLimits limits);

    /// <summary>Host pids (thread-group ids) now in the tree.</summary>
    public IReadOnlyList<int> Pids(string treeId)
    {
        var procs = Path.Combine(PrimaryDirectory(treeId), "cgroup.procs");
        if (!File.Exists(procs))
        {
            return []; // every new tree asks first: an exception per dyno start costs more than this check
        }

        try
        {
            return [.. File.ReadAllLines(procs).Where(l => l.Length > 0).Select(int.Parse)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public abstract long? MemoryUsageBytes(string treeId);

    /// <summary>Ids of the trees that have a group under this instance's parent.</summary>
    public IReadOnlyList<string> TreeIds()
    {
        var parent = Path.GetDirectoryName(PrimaryDirectory("x"))!;
        return Directory.Exists(parent) ? [.. Directory.EnumerateDirectories(parent).Select(Path.GetFileName).OfType<string>()] : [];
    }

    /// <summary>SIGKILLs whatever is left in the tree, then removes its groups (retrying while the kernel lets dying tasks go).</summary>
    public async Task KillAndRemoveAsync(string treeId)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            foreach (var pid in Pids(treeId))
            {
                Libc.kill(pid, Libc.SIGKILL);
            }

            if (TryRemove(treeId))
            {
                return;
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Removes the instance's parent groups when no tree is left.</summary>
    public void RemoveParent()
    {
        foreach (var directory in ParentDirectories())
        {
            TryRemoveDirectory(directory);
        }
    }

    /// <summary>
    /// Sets the parent group's CPU weight once per run. The parent competes with each host task as one: at the default weight
    /// all dynos together weighed one task, so under load a dyno's (multi-threaded) boot ran slower than the same app bare.
    /// It weighs one busy task per core instead; the dynos' own weights divide that among them.
    /// </summary>
    protected void WeighParentOnce(string directory, string file, int perCore, int max)
    {
        if (!_parentWeighed)
        {
            Write(directory, file, Math.Min(perCore * Environment.ProcessorCount, max).ToString());
            _parentWeighed = true;
        }
    }

    protected abstract string PrimaryDirectory(string treeId);

    protected abstract IEnumerable<string> ParentDirectories();

    protected abstract bool TryRemove(string treeId);

    protected static bool TryRemoveDirectory(string directory)
    {
        try
        {
            // A cgroup directory is removed with rmdir while its control files are still listed in it.
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory);
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    protected static void Write(string directory, string file, string value) =>
        File.WriteAllText(Path.Combine(directory, file), value);

    /// <summary>Sums the named counters of a <c>memory.stat</c>-style file, or null when it cannot be read.</summary>
    protected static long? ReadStat(string path, params string[] keys)
    {
        try
        {
            long sum = 0;
            foreach (var line in File.ReadLines(path))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && keys.Contains(line[..space]) && long.TryParse(line.AsSpan(space + 1), out var value))
                {
                    sum += value;
                }
            }

            return sum;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    protected static long? ReadLong(string path)
    {
        try
        {
            return long.Parse(File.ReadAllText(path).Trim());
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
