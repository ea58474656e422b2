namespace Slipway.Runtime.Sandbox;

/// <summary>Translates paths as seen inside a sandbox to host paths through the spec's mounts.</summary>
internal static class SandboxMounts
{
    /// <summary>The host path behind <paramref name="sandboxPath"/> (longest matching mount wins), or null when no mount covers it.</summary>
    public static string? ToHostPath(IReadOnlyList<SandboxMount> mounts, string sandboxPath)
    {
        SandboxMount? best = null;
        foreach (var mount in mounts)
        {
            var prefix = mount.SandboxPath.TrimEnd('/');
            var covers = sandboxPath == prefix || sandboxPath.StartsWith(prefix + "/", StringComparison.Ordinal) || prefix.Length == 0;
            if (covers && (best is null || prefix.Length > best.SandboxPath.TrimEnd('/').Length))
            {
                best = mount;
            }
        }

        if (best is null)
        {
            return null;
        }

        var rest = sandboxPath[best.SandboxPath.TrimEnd('/').Length..].TrimStart('/');
        return rest.Length == 0 ? best.HostPath : Path.Combine(best.HostPath, rest);
    }
}
