namespace Slipway.Runtime.Sandbox;

/// <summary>
/// The syscall deny-list applied to every tree: no new namespaces or mounts, no kernel keyring, BPF,
/// module, tracing or terminal-injection calls. Everything else is allowed (a deny-list, as Docker's).
/// </summary>
public static class SeccompFilter
{
    private const int EPERM = 1;
    private const int ENOSYS = 38;
    private const ulong TIOCSTI = 0x5412;
    private const ulong TIOCLINUX = 0x541C;

    private static readonly string[] Denied =
    [
        "mount", "umount2", "unshare", "setns", "pivot_root", "chroot",
        "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
        "bpf", "keyctl", "add_key", "request_key", "perf_event_open", "ptrace",
        "process_vm_readv", "process_vm_writev", "kcmp",
        "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
        "swapon", "swapoff", "reboot", "acct", "quotactl", "lookup_dcookie",
        "open_by_handle_at", "name_to_handle_at", "userfaultfd",
        "io_uring_setup", "io_uring_enter", "io_uring_register",
    ];

    // Every namespace flag clone(2) accepts: a tree may not leave its namespaces.
    private static readonly ulong[] NamespaceFlags =
    [
        0x00020000, // CLONE_NEWNS
        0x02000000, // CLONE_NEWCGROUP
        0x04000000, // CLONE_NEWUTS
        0x08000000, // CLONE_NEWIPC
        0x10000000, // CLONE_NEWUSER
        0x20000000, // CLONE_NEWPID
        0x40000000, // CLONE_NEWNET
        0x00000080, // CLONE_NEWTIME
    ];

    /// <summary>Writes the filter as BPF to <paramref name="path"/> (mode 0600: only root opens it, for bwrap's fd 3).</summary>
    public static unsafe void Export(string path)
    {
        var context = Libseccomp.seccomp_init(Libseccomp.ActAllow);
        if (context == IntPtr.Zero)
        {
            throw new InvalidOperationException("seccomp_init failed.");
        }

        try
        {
            foreach (var name in Denied)
            {
                var syscall = Libseccomp.seccomp_syscall_resolve_name(name);
                if (syscall >= 0)
                {
                    Check(Libseccomp.seccomp_rule_add_array(context, Libseccomp.ActErrno(EPERM), syscall, 0, null), name);
                }
            }

            // clone3 passes its flags in memory a filter cannot read; ENOSYS makes libc fall back to clone.
            var clone3 = Libseccomp.seccomp_syscall_resolve_name("clone3");
            if (clone3 >= 0)
            {
                Check(Libseccomp.seccomp_rule_add_array(context, Libseccomp.ActErrno(ENOSYS), clone3, 0, null), "clone3");
            }

            var clone = Libseccomp.seccomp_syscall_resolve_name("clone");
            foreach (var flag in NamespaceFlags)
            {
                var arg = new Libseccomp.ArgCompare { Arg = 0, Op = Libseccomp.Compare.MaskedEqual, DatumA = flag, DatumB = flag };
                Check(Libseccomp.seccomp_rule_add_array(context, Libseccomp.ActErrno(EPERM), clone, 1, &arg), "clone");
            }

            // TIOCSTI/TIOCLINUX push input into a terminal another process reads.
            var ioctl = Libseccomp.seccomp_syscall_resolve_name("ioctl");
            foreach (var request in new[] { TIOCSTI, TIOCLINUX })
            {
                var arg = new Libseccomp.ArgCompare { Arg = 1, Op = Libseccomp.Compare.MaskedEqual, DatumA = 0xffffffff, DatumB = request };
                Check(Libseccomp.seccomp_rule_add_array(context, Libseccomp.ActErrno(EPERM), ioctl, 1, &arg), "ioctl");
            }

            var temp = path + ".tmp";
            using (var file = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                Check(Libseccomp.seccomp_export_bpf(context, (int)file.SafeFileHandle.DangerousGetHandle()), "export");
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            Libseccomp.seccomp_release(context);
        }
    }

    private static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"libseccomp failed on {what}: error {-result}.");
        }
    }
}
