using Slipway.Runtime.Dynos.Filesystem;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// The <c>/etc</c> a tree sees: a few generated files plus copies of host files that carry no secrets (certificates,
/// the linker cache). The host's own <c>/etc</c> (shadow, keys, config) never goes in. It is one directory, written at
/// start-up and bound read-only as a whole: bwrap re-reads the mount table for every bind, so a bind per file cost each start.
/// </summary>
internal static class CuratedEtc
{
    /// <summary>Host files and directories copied to the same path when they exist (host changes show after a restart).</summary>
    private static readonly string[] HostPaths =
    [
        "/etc/ssl/certs", "/etc/ssl/openssl.cnf", "/etc/ca-certificates", "/etc/alternatives",
        "/etc/ld.so.cache", "/etc/services", "/etc/protocols", "/etc/mime.types",
    ];

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Listable = (UnixFileMode)0b111_101_101; // 0755

    /// <summary>Writes a fresh <c>etc/</c> under <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory, int sandboxUid, IReadOnlyList<string>? loopbackNames = null)
    {
        var etc = Path.Combine(directory, "etc");
        if (Directory.Exists(etc))
        {
            Directory.Delete(etc, recursive: true);
        }

        Directory.CreateDirectory(etc);
        File.SetUnixFileMode(etc, Listable);
        var files = new Dictionary<string, string>
        {
            ["passwd"] = $"root:x:0:0:root:/root:/usr/sbin/nologin\ndyno:x:{sandboxUid}:{sandboxUid}:dyno:/app:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            ["group"] = $"root:x:0:\ndyno:x:{sandboxUid}:\nnogroup:x:65534:\n",
            // Platform names that resolve to the host's loopback (storage.<domain>, reached through the router's port).
            ["hosts"] = $"127.0.0.1\tlocalhost{string.Concat((loopbackNames ?? []).Select(n => " " + n))}\n::1\tlocalhost ip6-localhost ip6-loopback\n",
            ["resolv.conf"] = HostResolvConf(),
            ["nsswitch.conf"] = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n",
        };

        foreach (var (name, content) in files)
        {
            var path = Path.Combine(etc, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, Readable);
        }

        foreach (var hostPath in HostPaths)
        {
            CopyFromHost(hostPath, Path.Combine(etc, Path.GetRelativePath("/etc", hostPath)));
        }

        return etc;
    }

    private static void CopyFromHost(string hostPath, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.SetUnixFileMode(Path.GetDirectoryName(target)!, Listable);
        if (Directory.Exists(hostPath))
        {
            SlugCopy.Copy(hostPath, target, ownerUid: null);
        }
        else if (File.Exists(hostPath))
        {
            File.Copy(hostPath, target);
            File.SetUnixFileMode(target, Readable);
        }
    }

    // Only the resolver lines: the host file may carry comments naming internal infrastructure.
    private static string HostResolvConf()
    {
        var lines = File.Exists("/etc/resolv.conf")
            ? File.ReadLines("/etc/resolv.conf").Where(l => l.StartsWith("nameserver", StringComparison.Ordinal) || l.StartsWith("search", StringComparison.Ordinal) || l.StartsWith("options", StringComparison.Ordinal))
            : [];
        return string.Concat(lines.Select(l => l + "\n"));
    }
}
