using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Storage.Engine;

/// <summary>fsync(2) on a directory handle, which .NET does not expose, so a rename is durable.</summary>
internal static partial class FsyncNative
{
    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(SafeFileHandle fd);
}
