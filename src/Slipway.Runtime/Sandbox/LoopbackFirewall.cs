using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Slipway.Runtime.Sandbox;

/// <summary>
/// Keeps trees off each other's ports: an nftables table of this instance that rejects new connections
/// from the instance's uid range to any local address (127.0.0.0/8, ::1, the host's own addresses)
/// except the allowed ports. Dynos reach each other only through the router, as on Heroku.
/// </summary>
public sealed class LoopbackFirewall
{
    private readonly SandboxOptions _options;

    public LoopbackFirewall(SandboxOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>The nftables table: <c>inet slipway_&lt;instanceId&gt;</c>.</summary>
    public string TableName => "slipway_" + _options.InstanceId;

    /// <summary>Installs the table, atomically replacing a stale one of the same instance.</summary>
    public void Install()
    {
        var ports = _options.AllowedLocalPorts.Concat(_options.AllowLocalDns ? [53] : []).Distinct().Order().ToList();
        var uids = $"{_options.UidBase}-{_options.UidBase + _options.UidCount - 1}";
        var rules = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"table inet {TableName} {{}}")
            .AppendLine(CultureInfo.InvariantCulture, $"delete table inet {TableName}")
            .AppendLine(CultureInfo.InvariantCulture, $"table inet {TableName} {{")
            .AppendLine("  set allowed_ports {")
            .AppendLine("    type inet_service")
            .AppendLine(ports.Count > 0 ? $"    elements = {{ {string.Join(", ", ports)} }}" : string.Empty)
            .AppendLine("  }")
            .AppendLine("  chain output {")
            .AppendLine("    type filter hook output priority 0; policy accept;")
            .AppendLine(CultureInfo.InvariantCulture, $"    meta skuid {uids} fib daddr type local ct state new tcp dport != @allowed_ports reject with tcp reset")
            .AppendLine(CultureInfo.InvariantCulture, $"    meta skuid {uids} fib daddr type local ct state new udp dport != @allowed_ports reject")
            .AppendLine("  }")
            .AppendLine("}");
        Nft(rules.ToString());
    }

    /// <summary>Removes the table; nothing happens when it is not there.</summary>
    public void Remove() =>
        Nft($"table inet {TableName} {{}}\ndelete table inet {TableName}\n");

    private static void Nft(string script)
    {
        var startInfo = new ProcessStartInfo("/usr/sbin/nft", ["-f", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var nft = Process.Start(startInfo) ?? throw new InvalidOperationException("nft did not start.");
        nft.StandardInput.Write(script);
        nft.StandardInput.Close();
        var error = nft.StandardError.ReadToEnd();
        nft.StandardOutput.ReadToEnd();
        nft.WaitForExit();
        if (nft.ExitCode != 0)
        {
            throw new InvalidOperationException($"nft failed ({nft.ExitCode}): {error.Trim()}");
        }
    }
}
