using System.Runtime.InteropServices;

namespace Slipway.Runtime.Sandbox;

/// <summary>The few libc calls .NET has no API for: identity, signals, ownership, mounts and netlink.</summary>
internal static partial class Libc
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int MNT_DETACH = 2;
    public const int ESRCH = 3;
    public const int CLONE_FS = 0x200;
    public const int CLONE_NEWNS = 0x20000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string fileSystemType, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unshare(int flags);

    /// <summary>libc's <c>syscall(2)</c>, for calls it has no wrapper for (Landlock); three arguments.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial nint syscall(nint number, nint first, nint second, nint third);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int namespaceType);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Changes the owner of <paramref name="path"/> (not following symlinks); throws on failure.</summary>
    public static void Chown(string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} {path} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
