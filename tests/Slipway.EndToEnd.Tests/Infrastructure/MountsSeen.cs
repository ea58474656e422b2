namespace Slipway.EndToEnd.Tests.Infrastructure;

/// <summary>Mount points under a directory in every process's mount namespace: dyno overlays live in the dynos' own, not the host's.</summary>
public static class MountsSeen
{
    /// <summary>Distinct (mount namespace, mount point) pairs whose mount point lies under <paramref name="directory"/>.</summary>
    public static HashSet<string> Under(string directory)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)))
        {
            try
            {
                var mountNamespace = new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget;
                foreach (var line in File.ReadLines($"/proc/{pid}/mountinfo"))
                {
                    var mountPoint = line.Split(' ')[4];
                    if (mountPoint.StartsWith(directory.TrimEnd('/') + "/", StringComparison.Ordinal))
                    {
                        found.Add($"{mountNamespace} {mountPoint}");
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was being read.
            }
        }

        return found;
    }
}
