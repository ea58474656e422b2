using System.Globalization;

namespace Slipway.Server;

/// <summary>slipwayd's settings: flags (<c>--api-port</c>), env (<c>SLIPWAY_API_PORT</c>) or appsettings (<c>Slipway:ApiPort</c>).</summary>
public sealed class SlipwayOptions
{
    public string DataDir { get; set; } = "";

    public int ApiPort { get; set; } = 5000;

    public int RouterPort { get; set; } = 8080;

    public int StoragePort { get; set; } = 9000;

    /// <summary>The router's HTTPS port (HTTP/1.1 and HTTP/2 by ALPN); none unless set.</summary>
    public int? RouterTlsPort { get; set; }

    /// <summary>PEM certificate (chain) for the HTTPS port; without it slipwayd makes a self-signed one for the domain.</summary>
    public string? RouterCertificate { get; set; }

    /// <summary>PEM private key of <see cref="RouterCertificate"/>.</summary>
    public string? RouterCertificateKey { get; set; }

    public string Domain { get; set; } = "localhost";

    /// <summary><c>sandbox</c> (default) or <c>none</c>.</summary>
    public string Isolation { get; set; } = "sandbox";

    /// <summary>Dyno <c>$PORT</c> range, <c>first-last</c>: below Linux's ephemeral range (32768-60999), or outgoing connections take dyno ports.</summary>
    public string DynoPorts { get; set; } = "20000-29999";

    public int UidBase { get; set; } = 200_000;

    public double BootTimeoutSeconds { get; set; } = 60;

    /// <summary>Free and eco apps sleep after this long without web traffic (Heroku: 30 minutes).</summary>
    public double IdleAfterSeconds { get; set; } = 1800;

    public double FreeQuotaHours { get; set; } = 550;

    public double VerifiedQuotaHours { get; set; } = 1000;

    public double EcoQuotaHours { get; set; } = 1000;

    /// <summary>How often metered usage is saved: the most a crash of slipwayd can fail to count.</summary>
    public double QuotaCheckpointSeconds { get; set; } = 10;

    public double StopGraceSeconds { get; set; } = 30;

    /// <summary>Daily cycling: every dyno restarts this long after it started (Heroku: 24 h)…</summary>
    public double CycleAfterSeconds { get; set; } = 24 * 3600;

    /// <summary>…plus a random share of this (Heroku: 216 minutes), so dynos don't all cycle at once.</summary>
    public double CycleJitterSeconds { get; set; } = 216 * 60;

    /// <summary>H12: seconds a dyno has to send the first response byte (Heroku: 30).</summary>
    public double RouterRequestTimeoutSeconds { get; set; } = 30;

    /// <summary>H15: seconds of silence that end a started response (Heroku: 55); WebSockets are exempt.</summary>
    public double RouterIdleTimeoutSeconds { get; set; } = 55;

    public string AdminEmail { get; set; } = "admin@slipway.local";

    /// <summary>Use this token for the first account instead of generating one (automation).</summary>
    public string? AdminToken { get; set; }

    /// <summary>Where the built-in buildpacks live; defaults to the copy next to slipwayd.</summary>
    public string? BuildpacksDir { get; set; }

    public (int First, int Last) DynoPortRange()
    {
        var parts = DynoPorts.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var first) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var last) && first <= last
            ? (first, last)
            : throw new ArgumentException($"--dyno-ports must be a range like 20000-29999, not '{DynoPorts}'.");
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            throw new ArgumentException("Set the data directory with --data-dir or SLIPWAY_DATA_DIR.");
        }

        if (Isolation is not ("sandbox" or "none"))
        {
            throw new ArgumentException($"--isolation must be 'sandbox' or 'none', not '{Isolation}'.");
        }

        var ports = new List<(string Name, int Port)> { ("--api-port", ApiPort), ("--router-port", RouterPort), ("--storage-port", StoragePort) };
        if (RouterTlsPort is { } tlsPort)
        {
            ports.Add(("--router-tls-port", tlsPort));
        }

        foreach (var (name, port) in ports)
        {
            if (port is < 1 or > 65535)
            {
                throw new ArgumentException($"{name} {port} is not a TCP port.");
            }
        }

        if (ports.Select(p => p.Port).Distinct().Count() != ports.Count)
        {
            throw new ArgumentException($"{string.Join(", ", ports.Select(p => p.Name))} must all differ.");
        }

        if ((RouterCertificate is null) != (RouterCertificateKey is null))
        {
            throw new ArgumentException("Give --router-certificate and --router-certificate-key together (PEM files), or neither for a self-signed certificate.");
        }

        if (RouterCertificate is not null && RouterTlsPort is null)
        {
            throw new ArgumentException("--router-certificate needs --router-tls-port: the certificate is for the router's HTTPS port.");
        }

        foreach (var (name, seconds) in new[]
        {
            ("--boot-timeout-seconds", BootTimeoutSeconds), ("--idle-after-seconds", IdleAfterSeconds), ("--stop-grace-seconds", StopGraceSeconds),
            ("--quota-checkpoint-seconds", QuotaCheckpointSeconds), ("--cycle-after-seconds", CycleAfterSeconds),
            ("--router-request-timeout-seconds", RouterRequestTimeoutSeconds), ("--router-idle-timeout-seconds", RouterIdleTimeoutSeconds),
        })
        {
            if (!(seconds > 0))
            {
                throw new ArgumentException($"{name} must be a positive number of seconds, not {seconds}.");
            }
        }

        if (!(CycleJitterSeconds >= 0))
        {
            throw new ArgumentException($"--cycle-jitter-seconds must be zero or more, not {CycleJitterSeconds}.");
        }

        _ = DynoPortRange();
    }
}
