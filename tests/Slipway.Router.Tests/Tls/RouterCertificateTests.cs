using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Slipway.Router.Tls;

namespace Slipway.Router.Tests.Tls;

public sealed class RouterCertificateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-tls-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void SelfSigned_CoversTheDomainAndEveryAppHost_WithAPrivateKeyFile()
    {
        using var certificate = RouterCertificate.SelfSigned(_directory, "apps.example.test", _time);

        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.MatchesHostname("apps.example.test"));
        Assert.True(certificate.MatchesHostname("hello.apps.example.test"));
        Assert.False(certificate.MatchesHostname("hello.other.test"));
        var keyMode = File.GetUnixFileMode(Path.Combine(_directory, RouterCertificate.KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, keyMode);
    }

    [Fact]
    public void SelfSigned_IsKept_AcrossRestarts()
    {
        using var first = RouterCertificate.SelfSigned(_directory, "apps.example.test", _time);
        _time.Advance(TimeSpan.FromDays(200));
        using var second = RouterCertificate.SelfSigned(_directory, "apps.example.test", _time);

        Assert.Equal(first.Thumbprint, second.Thumbprint);
    }

    [Fact]
    public void SelfSigned_IsRenewed_AMonthBeforeItExpires_OrWhenTheDomainChanges()
    {
        using var first = RouterCertificate.SelfSigned(_directory, "apps.example.test", _time);
        _time.Advance(TimeSpan.FromDays(340));
        using var renewed = RouterCertificate.SelfSigned(_directory, "apps.example.test", _time);
        using var moved = RouterCertificate.SelfSigned(_directory, "paas.example.test", _time);

        Assert.NotEqual(first.Thumbprint, renewed.Thumbprint);
        Assert.True(renewed.NotAfter.ToUniversalTime() > _time.GetUtcNow().UtcDateTime.AddDays(300));
        Assert.True(moved.MatchesHostname("hello.paas.example.test"));
    }

    [Fact]
    public void Load_ReadsTheOperatorsPemFiles()
    {
        using var made = RouterCertificate.SelfSigned(_directory, "apps.example.test", _time);

        using var loaded = RouterCertificate.Load(Path.Combine(_directory, RouterCertificate.CertificateFile), Path.Combine(_directory, RouterCertificate.KeyFile));

        Assert.Equal(made.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
    }

    [Fact]
    public void Load_NamesTheMissingFile()
    {
        var missing = Path.Combine(_directory, "nope.crt");

        var error = Assert.Throws<FileNotFoundException>(() => RouterCertificate.Load(missing, missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Load_SaysWhenTheFilesAreNotPem()
    {
        var certificate = Path.Combine(_directory, "broken.crt");
        File.WriteAllText(certificate, "not a certificate");

        var error = Assert.Throws<CryptographicException>(() => RouterCertificate.Load(certificate, certificate));

        Assert.Contains("must be PEM", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
