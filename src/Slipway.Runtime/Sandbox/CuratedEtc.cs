namespace Slipway.Runtime.Sandbox;

/// <summary>
/// The <c>/etc</c> a tree sees: a few generated files plus read-only host files that carry no secrets
/// (certificates, the linker cache). The host's own <c>/etc</c> (shadow, keys, config) never goes in.
/// </summary>
internal static class CuratedEtc
{
    /// <summary>Host files and directories shown at the same path when they exist.</summary>
    public static readonly string[] HostPaths =
    [
        "/etc/ssl/certs", "/etc/ssl/openssl.cnf", "/etc/ca-certificates", "/etc/alternatives",
        "/etc/ld.so.cache", "/etc/services", "/etc/protocols", "/etc/mime.types",
    ];

    /// <summary>Writes the generated files into <paramref name="directory"/> and returns (host file, path inside) pairs.</summary>
    public static IReadOnlyList<(string HostPath, string SandboxPath)> Write(string directory, int sandboxUid, IReadOnlyList<string>? loopbackNames = null)
    {
        var files = new Dictionary<string, string>
        {
            ["passwd"] = $"root:x:0:0:root:/root:/usr/sbin/nologin\ndyno:x:{sandboxUid}:{sandboxUid}:dyno:/app:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            ["group"] = $"root:x:0:\ndyno:x:{sandboxUid}:\nnogroup:x:65534:\n",
            // Platform names that resolve to the host's loopback (storage.<domain>, reached through the router's port).
            ["hosts"] = $"127.0.0.1\tlocalhost{string.Concat((loopbackNames ?? []).Select(n => " " + n))}\n::1\tlocalhost ip6-localhost ip6-loopback\n",
            ["resolv.conf"] = HostResolvConf(),
            ["nsswitch.conf"] = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n",
        };

        var generated = new List<(string, string)>();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            generated.Add((path, "/etc/" + name));
        }

        return generated;
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
