using System.Runtime.InteropServices;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// lstat(2): the only way to tell a FIFO, socket or device from a regular file, which .NET reports alike.
/// Reading one while packing a slug would block or leak host state.
/// </summary>
public static unsafe partial class FileStat
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;
    private const uint Directory = 0x4000;
    private const uint Symlink = 0xA000;

    // Offset of st_mode in struct stat: x86-64 has 64-bit st_nlink before it, the generic layout (arm64) a 32-bit one after it.
    private static readonly int ModeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;

    public static EntryKind Kind(string path)
    {
        var buffer = stackalloc byte[512];
        if (lstat(path, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 2 or 20)
            {
                return EntryKind.Missing; // ENOENT, ENOTDIR
            }

            throw new IOException($"lstat {path} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return (*(uint*)(buffer + ModeOffset) & TypeMask) switch
        {
            Regular => EntryKind.File,
            Directory => EntryKind.Directory,
            Symlink => EntryKind.Symlink,
            _ => EntryKind.Other,
        };
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lstat(string path, byte* buffer);
}

/// <summary>What a path is, seen with lstat: a symlink is a symlink, never what it points to.</summary>
public enum EntryKind
{
    Missing,
    File,
    Directory,
    Symlink,
    Other,
}
