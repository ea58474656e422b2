using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Storage.Engine;

/// <summary>Appends one file to another inside the kernel (copy_file_range(2)), falling back to read/write where it is refused.</summary>
internal static partial class FileCopy
{
    // Bounded calls, so that a cancelled completion stops between chunks.
    private const nuint Chunk = 64 << 20;
    private const int CrossDevice = 18, InvalidArgument = 22, NotImplemented = 38, NotSupported = 95;

    /// <summary>Appends all of <paramref name="source"/> at <paramref name="offset"/> of <paramref name="target"/>; returns the bytes copied.</summary>
    public static long Append(SafeFileHandle source, SafeFileHandle target, long offset, CancellationToken cancellationToken)
    {
        long from = 0;
        var to = offset;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var copied = CopyFileRange(source, ref from, target, ref to, Chunk, 0);
            if (copied == 0)
            {
                return from;
            }

            if (copied < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is CrossDevice or InvalidArgument or NotImplemented or NotSupported
                    ? from + CopyThroughBuffer(source, from, target, to, cancellationToken)
                    : throw new IOException($"copy_file_range failed (errno {errno}).");
            }
        }
    }

    private static long CopyThroughBuffer(SafeFileHandle source, long from, SafeFileHandle target, long to, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = RandomAccess.Read(source, buffer, from + total)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RandomAccess.Write(target, buffer.AsSpan(0, read), to + total);
            total += read;
        }

        return total;
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle input, ref long inputOffset, SafeFileHandle output, ref long outputOffset, nuint length, uint flags);
}
