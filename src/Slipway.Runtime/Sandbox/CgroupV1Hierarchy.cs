namespace Slipway.Runtime.Sandbox;

/// <summary>cgroup v1 (and the v1 half of hybrid): one directory per controller.</summary>
internal sealed class CgroupV1Hierarchy(string instanceId) : CgroupHierarchy(instanceId)
{
    public static readonly string[] Controllers = ["memory", "pids", "cpu"];

    public override IReadOnlyList<string> Create(string treeId, CgroupLimits limits)
    {
        var procs = new List<string>();
        foreach (var controller in Controllers)
        {
            var directory = Directory(controller, treeId);
            System.IO.Directory.CreateDirectory(directory);
            procs.Add(Path.Combine(directory, "cgroup.procs"));
        }

        var memory = Directory("memory", treeId);
        if (limits.MemoryLimitBytes > 0)
        {
            Write(memory, "memory.limit_in_bytes", limits.MemoryLimitBytes.ToString());

            // Without swap accounting limited to the same figure a hog would swap instead of being killed.
            if (File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes")))
            {
                Write(memory, "memory.memsw.limit_in_bytes", limits.MemoryLimitBytes.ToString());
            }
        }

        Write(Directory("pids", treeId), "pids.max", limits.PidsMax > 0 ? limits.PidsMax.ToString() : "max");
        Write(Directory("cpu", treeId), "cpu.shares", (limits.CpuShares > 0 ? limits.CpuShares : 1024).ToString());
        WeighParentOnce(Path.Combine(Root, "cpu", ParentName), "cpu.shares", 1024, 262_144);
        return procs;
    }

    // Heroku's figure is RSS + swap; usage_in_bytes would also count the page cache of every file the app touched.
    public override long? MemoryUsageBytes(string treeId) =>
        ReadStat(Path.Combine(Directory("memory", treeId), "memory.stat"), "total_rss", "total_swap");

    protected override string PrimaryDirectory(string treeId) => Directory("memory", treeId);

    protected override IEnumerable<string> ParentDirectories() =>
        Controllers.Select(c => Path.Combine(Root, c, ParentName));

    protected override bool TryRemove(string treeId) =>
        Controllers.Select(c => TryRemoveDirectory(Directory(c, treeId))).ToList().All(removed => removed);

    private string Directory(string controller, string treeId) => Path.Combine(Root, controller, ParentName, treeId);
}
