using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CoPriv.Network.Tls;

namespace CoPriv.Network.Tests.Tls;

public sealed class DataPlaneCertificateTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), $"copriv-cert-{Guid.NewGuid():N}");

    [Fact]
    public void The_first_start_creates_an_owner_only_file_and_later_starts_load_the_same_certificate()
    {
        using var first = DataPlaneCertificate.LoadOrCreate(_stateDirectory);
        using var second = DataPlaneCertificate.LoadOrCreate(_stateDirectory);

        Assert.Equal(Path.Combine(_stateDirectory, DataPlaneCertificate.FileName), first.Path);
        Assert.True(File.Exists(first.Path));
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.True(second.Certificate.HasPrivateKey);
        using (var key = second.Certificate.GetECDsaPublicKey()) Assert.Equal(256, key!.KeySize);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Path!));
        Assert.Single(Directory.GetFiles(_stateDirectory));
    }

    [Fact]
    public void The_fingerprint_is_the_sha256_of_the_der_certificate_in_lowercase_hex()
    {
        using var certificate = DataPlaneCertificate.CreateEphemeral();
        var expected = Convert.ToHexStringLower(SHA256.HashData(certificate.Certificate.RawData));
        Assert.Equal(expected, certificate.Fingerprint.Hex);
        Assert.Equal(expected, certificate.Fingerprint.ToString());
        Assert.Null(certificate.Path);
    }

    [Fact]
    public void A_fingerprint_parses_from_plain_or_openssl_colon_form_and_refuses_anything_else()
    {
        using var certificate = DataPlaneCertificate.CreateEphemeral();
        var hex = certificate.Fingerprint.Hex;
        var openssl = string.Join(':', Enumerable.Range(0, 32).Select(i => hex.Substring(2 * i, 2).ToUpperInvariant()));

        Assert.Equal(certificate.Fingerprint, CertificateFingerprint.Parse(hex));
        Assert.Equal(certificate.Fingerprint, CertificateFingerprint.Parse(openssl));
        Assert.Throws<FormatException>(() => CertificateFingerprint.Parse(hex[..62]));
        Assert.Throws<FormatException>(() => CertificateFingerprint.Parse(hex[..63] + "g"));
    }

    [Fact]
    public void A_certificate_file_that_others_may_read_is_refused()
    {
        if (OperatingSystem.IsWindows()) return;
        using (var created = DataPlaneCertificate.LoadOrCreate(_stateDirectory))
            File.SetUnixFileMode(created.Path!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var e = Assert.Throws<InvalidOperationException>(() => DataPlaneCertificate.LoadOrCreate(_stateDirectory));
        Assert.Contains("chmod 600", e.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory)) Directory.Delete(_stateDirectory, recursive: true);
    }
}
