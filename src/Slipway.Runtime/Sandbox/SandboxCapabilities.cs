using System.Runtime.InteropServices;

namespace Slipway.Runtime.Sandbox;

/// <summary>What this machine offers for <see cref="IsolationMode.Sandbox"/>; slipwayd refuses the mode while anything is missing.</summary>
public sealed record SandboxCapabilities(IReadOnlyList<MissingFacility> Missing)
{
    public const string Bwrap = "/usr/bin/bwrap";
    public const string Nft = "/usr/sbin/nft";

    /// <summary>The first program of every tree (Native/dyno-start.c), built with Slipway.Runtime and copied beside it.</summary>
    public static readonly string DynoStart = Path.Combine(AppContext.BaseDirectory, "slipway-dyno-start");

    private const int SysLandlockCreateRuleset = 444; // the same number on every architecture
    private const int LandlockCreateRulesetVersion = 1;

    public bool CanSandbox => Missing.Count == 0;

    /// <summary>One message listing every missing facility with what to install or change.</summary>
    public string Describe() => CanSandbox
        ? "Sandboxing is available."
        : "Dynos cannot be sandboxed on this machine (start with --isolation none to run them without isolation):\n"
            + string.Join('\n', Missing.Select(m => "  - " + m));

    public static SandboxCapabilities Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new([new MissingFacility("Linux", "the sandbox needs Linux namespaces, cgroups and seccomp")]);
        }

        var missing = new List<MissingFacility>();
        if (!Libc.IsRoot)
        {
            missing.Add(new("root", "slipwayd must run as root to mount overlays, create cgroups and switch to per-app uids"));
        }

        if (!File.Exists(Bwrap))
        {
            missing.Add(new("bubblewrap", "apt-get install bubblewrap (0.8 or later)"));
        }

        if (!File.Exists(DynoStart))
        {
            missing.Add(new("slipway-dyno-start", $"{DynoStart} is missing: build Slipway on Linux with a C compiler (apt-get install gcc libc6-dev; script/bootstrap does)"));
        }

        if (!File.Exists(Nft))
        {
            missing.Add(new("nftables", "apt-get install nftables"));
        }

        if (!NativeLibrary.TryLoad(Libseccomp.Library, out var handle))
        {
            missing.Add(new("libseccomp", "apt-get install libseccomp2"));
        }
        else
        {
            NativeLibrary.Free(handle);
        }

        if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay", StringComparison.Ordinal) && !OverlayModuleExists())
        {
            missing.Add(new("overlayfs", "load the overlay module: modprobe overlay"));
        }

        missing.AddRange(MissingCgroupControllers());
        if (ReadSetting("/proc/sys/user/max_user_namespaces") == "0" || ReadSetting("/proc/sys/kernel/unprivileged_userns_clone") == "0")
        {
            missing.Add(new("unprivileged user namespaces", "sysctl -w user.max_user_namespaces=15000 kernel.unprivileged_userns_clone=1"));
        }

        return new(missing);
    }

    /// <summary>
    /// What dynos are not kept from for want of Landlock in this kernel (null when nothing): binding another dyno's port needs
    /// ABI 4 (Linux 6.7), refusing connections to abstract unix sockets outside the dyno needs ABI 6 (Linux 6.12).
    /// </summary>
    public static string? LandlockGaps()
    {
        var abi = OperatingSystem.IsLinux() ? (long)Libc.syscall(SysLandlockCreateRuleset, 0, 0, LandlockCreateRulesetVersion) : -1;
        return abi switch
        {
            >= 6 => null,
            >= 4 => $"Landlock ABI {abi} (Linux < 6.12): dynos can connect to abstract unix sockets of the host and of other dynos.",
            _ => $"Landlock {(abi < 0 ? "is not enabled" : $"ABI {abi}")} in this kernel (Linux < 6.7, or not in the kernel's lsm= list): dynos can bind any free port on the shared loopback, another dyno's $PORT included, and connect to abstract unix sockets of the host and of other dynos.",
        };
    }

    private static IEnumerable<MissingFacility> MissingCgroupControllers()
    {
        var v2 = Path.Combine(CgroupHierarchy.Root, "cgroup.controllers");
        var available = File.Exists(v2)
            ? File.ReadAllText(v2).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet()
            : CgroupV1Hierarchy.Controllers.Where(c => Directory.Exists(Path.Combine(CgroupHierarchy.Root, c))).ToHashSet();
        return CgroupV1Hierarchy.Controllers
            .Where(c => !available.Contains(c))
            .Select(c => new MissingFacility($"cgroup controller '{c}'", $"enable the {c} cgroup controller (kernel command line or systemd configuration)"));
    }

    private static bool OverlayModuleExists()
    {
        var release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        var directory = $"/lib/modules/{release}/kernel/fs/overlayfs";
        return Directory.Exists(directory);
    }

    private static string? ReadSetting(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
