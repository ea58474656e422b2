using System.Runtime.InteropServices;

namespace Slipway.Build.Native;

/// <summary>rename(2), which moves any entry (a symlink included) atomically within one filesystem, exactly as named.</summary>
internal static partial class FileRename
{
    public static void Rename(string from, string to)
    {
        if (rename(from, to) != 0)
        {
            throw new IOException($"rename {from} -> {to} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rename(string from, string to);
}
