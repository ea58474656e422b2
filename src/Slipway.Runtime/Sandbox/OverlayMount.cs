using System.Runtime.InteropServices;

namespace Slipway.Runtime.Sandbox;

/// <summary>A dyno's overlay on its <c>app/</c> directory, mounted with mount(2) directly: a helper binary costs more than the rest of a boot.</summary>
internal static class OverlayMount
{
    private const ulong MS_NOSUID = 2;
    private const ulong MS_NODEV = 4;
    private const int EINVAL = 22;
    private const int ENOENT = 2;

    public static void Mount(string lower, string upper, string work, string target)
    {
        foreach (var path in new[] { lower, upper, work })
        {
            // overlayfs separates options with ',' and layers with ':'; such a path would change the mount's meaning.
            if (path.IndexOfAny([',', ':', '\\']) >= 0)
            {
                throw new ArgumentException($"Cannot use '{path}' as an overlay layer: it contains ',', ':' or '\\'.");
            }
        }

        var options = $"lowerdir={lower},upperdir={upper},workdir={work}";
        if (Libc.mount("overlay", target, "overlay", MS_NOSUID | MS_NODEV, options) != 0)
        {
            throw new IOException($"Mounting the dyno filesystem at {target} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Detaches the overlay at <paramref name="target"/>; nothing happens when none is mounted there.</summary>
    public static void Unmount(string target)
    {
        if (Libc.umount2(target, Libc.MNT_DETACH) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error is not EINVAL and not ENOENT)
            {
                throw new IOException($"Unmounting the dyno filesystem at {target} failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
    }
}
