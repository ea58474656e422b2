using Slipway.Runtime.Sandbox;
using System.Runtime.InteropServices;

namespace Slipway.Build.Native;

/// <summary>Ownership changes .NET has no API for. Only root may give files away; other callers are left as they are.</summary>
internal static partial class FileOwnership
{
    public static bool IsRoot { get; } = geteuid() == 0;

    /// <summary>Gives <paramref name="path"/> and everything below it to <paramref name="uid"/> (gid = uid), never following a symlink.</summary>
    public static void ChownTree(string path, int uid)
    {
        if (!IsRoot)
        {
            return;
        }

        Chown(path, uid);
        if (FileTree.Kind(path) != EntryKind.Directory)
        {
            return;
        }

        foreach (var (info, _) in FileTree.Walk(path))
        {
            Chown(info.FullName, uid);
        }
    }

    /// <summary>Gives just <paramref name="path"/> (not following a symlink) to <paramref name="uid"/>.</summary>
    public static void Chown(string path, int uid)
    {
        if (IsRoot && lchown(path, uid, uid) != 0)
        {
            throw new IOException($"chown {uid}:{uid} {path} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);
}
