using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Slipway.Router.Tls;

/// <summary>
/// The certificate the router's HTTPS port presents: the operator's PEM files, or else one made here for
/// <c>{domain}</c> and <c>*.{domain}</c>, kept in the data directory and renewed a month before it expires.
/// </summary>
public static class RouterCertificate
{
    public const string CertificateFile = "router-tls.crt";
    public const string KeyFile = "router-tls.key";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>The operator's certificate (chain first) and private key, both PEM.</summary>
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The router's TLS file {path} does not exist; give a PEM certificate and its key.", path);
            }
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException(
                $"The router's TLS certificate {certificatePath} or its key {keyPath} could not be read ({e.Message}); both must be PEM and belong together.", e);
        }
    }

    /// <summary>The self-signed certificate in <paramref name="directory"/>, made (or renewed) when missing or near its end.</summary>
    public static X509Certificate2 SelfSigned(string directory, string domain, TimeProvider time)
    {
        var certificatePath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        var now = time.GetUtcNow();
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var kept = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (kept.NotAfter.ToUniversalTime() - RenewBefore > now.UtcDateTime && Covers(kept, domain))
            {
                return kept;
            }

            kept.Dispose();
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}, O=Slipway router (self-signed)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        names.AddDnsName("*." + domain);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        var made = request.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime);

        // The key first, private from its first byte; each file replaces the old one whole.
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteAtomically(certificatePath, made.ExportCertificatePem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        made.Dispose();
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    private static bool Covers(X509Certificate2 certificate, string domain) =>
        certificate.MatchesHostname(domain) && certificate.MatchesHostname("app." + domain);

    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode }))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        File.SetUnixFileMode(temp, mode); // an old .tmp keeps its mode on open
        File.Move(temp, path, overwrite: true);
    }
}
