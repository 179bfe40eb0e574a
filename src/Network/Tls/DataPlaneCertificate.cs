using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CoPriv.Network.Tls;

/// <summary>
/// The data-plane server's TLS identity: a self-signed ECDSA P-256 certificate, created on first use and kept as a
/// PKCS#12 file in the party's state directory (readable by its owner only), so that its
/// <see cref="Fingerprint"/> stays the same across restarts and clients can pin it. The client learns nothing from
/// the certificate but the fingerprint; trust comes from pinning, not from a chain or a host name.
/// </summary>
public sealed class DataPlaneCertificate : IDisposable
{
    /// <summary>The file's name inside the state directory.</summary>
    public const string FileName = "data-plane-certificate.pfx";

    private const string Subject = "CN=copriv-data-plane";
    private static readonly TimeSpan Validity = TimeSpan.FromDays(20 * 365);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromDays(1);
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOthers = ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    private SslStreamCertificateContext? _serverContext;

    private DataPlaneCertificate(X509Certificate2 certificate, string? path)
    {
        Certificate = certificate;
        Path = path;
        Fingerprint = CertificateFingerprint.Of(certificate);
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public CertificateFingerprint Fingerprint { get; }

    /// <summary>What a TLS server presents, built once: building it per connection would redo the chain work.</summary>
    internal SslStreamCertificateContext ServerContext => _serverContext ??= SslStreamCertificateContext.Create(Certificate, null, offline: true);

    /// <summary>Where the certificate is kept, or null for one that lives in memory only.</summary>
    public string? Path { get; }

    /// <summary>
    /// Loads the certificate kept in <paramref name="stateDirectory"/>, or creates and keeps one there if there is
    /// none yet (creating the directory too, owner-only). Refuses a file that other users may read, as ssh does with
    /// a private key, because whoever reads it can impersonate this server.
    /// </summary>
    public static DataPlaneCertificate LoadOrCreate(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(stateDirectory, FileName));
        if (File.Exists(path)) return Load(path);

        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(stateDirectory);
        else Directory.CreateDirectory(stateDirectory, OwnerOnlyDirectory);
        var pfx = CreateSelfSigned().Export(X509ContentType.Pkcs12);
        // Written aside and moved into place so that a reader never sees half a file and, when two processes start
        // at once, both end up with the same certificate (the loser of the race loads the winner's).
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var creation = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) creation.UnixCreateMode = OwnerOnlyFile;
        using (var file = new FileStream(temporary, creation)) file.Write(pfx);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Load(path);
        }
        return new DataPlaneCertificate(X509CertificateLoader.LoadPkcs12(pfx, password: null), path);
    }

    /// <summary>A certificate that is never written anywhere (tests, benchmarks, one-off runs).</summary>
    public static DataPlaneCertificate CreateEphemeral() =>
        new(X509CertificateLoader.LoadPkcs12(CreateSelfSigned().Export(X509ContentType.Pkcs12), password: null), path: null);

    private static DataPlaneCertificate Load(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
            throw new InvalidOperationException(
                $"{path} holds the data plane's private key but other users may read it ({File.GetUnixFileMode(path)}); restrict it to its owner (chmod 600) or delete it to get a new certificate and fingerprint");
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{path} holds a certificate without its private key");
        return new DataPlaneCertificate(certificate, path);
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now - ClockSkew, now + Validity);
    }

    public void Dispose() => Certificate.Dispose();
}
