namespace Slipway.Runtime.Sandbox;

/// <summary>cgroup v2 (unified): one directory per tree, controllers enabled down from the root.</summary>
internal sealed class CgroupV2Hierarchy(string instanceId) : CgroupHierarchy(instanceId)
{
    private const string EnableControllers = "+memory +pids +cpu";

    public override IReadOnlyList<string> Create(string treeId, CgroupLimits limits)
    {
        var parent = Path.Combine(Root, ParentName);
        Directory.CreateDirectory(parent);
        Write(Root, "cgroup.subtree_control", EnableControllers);
        Write(parent, "cgroup.subtree_control", EnableControllers);
        WeighParentOnce(parent, "cpu.weight", 100, 10_000);

        var directory = Path.Combine(parent, treeId);
        Directory.CreateDirectory(directory);
        if (limits.MemoryLimitBytes > 0)
        {
            Write(directory, "memory.max", limits.MemoryLimitBytes.ToString());
            if (File.Exists(Path.Combine(directory, "memory.swap.max")))
            {
                Write(directory, "memory.swap.max", "0");
            }
        }

        Write(directory, "pids.max", limits.PidsMax > 0 ? limits.PidsMax.ToString() : "max");
        Write(directory, "cpu.weight", Weight(limits.CpuShares).ToString());
        return [Path.Combine(directory, "cgroup.procs")];
    }

    // Heroku's figure is RSS + swap; memory.current would also count the page cache.
    public override long? MemoryUsageBytes(string treeId) =>
        ReadStat(Path.Combine(PrimaryDirectory(treeId), "memory.stat"), "anon") + (ReadLong(Path.Combine(PrimaryDirectory(treeId), "memory.swap.current")) ?? 0);

    protected override string PrimaryDirectory(string treeId) => Path.Combine(Root, ParentName, treeId);

    protected override IEnumerable<string> ParentDirectories() => [Path.Combine(Root, ParentName)];

    protected override bool TryRemove(string treeId)
    {
        var directory = PrimaryDirectory(treeId);
        var kill = Path.Combine(directory, "cgroup.kill");
        if (File.Exists(kill))
        {
            try
            {
                File.WriteAllText(kill, "1");
            }
            catch (IOException)
            {
            }
        }

        return TryRemoveDirectory(directory);
    }

    /// <summary>v1 shares (2..262144, default 1024) to v2 weight (1..10000, default 100), as runc and systemd convert.</summary>
    private static long Weight(int shares) =>
        shares <= 0 ? 100 : 1 + ((Math.Clamp(shares, 2, 262_144) - 2L) * 9999 / 262_142);
}
