using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CoPriv.Network.Tls;

/// <summary>
/// What the client pins the data-plane server by: the SHA-256 hash of the certificate's DER encoding (the whole
/// certificate, as <see cref="X509Certificate.GetRawCertData"/> returns it, not just its public key), written as 64
/// lowercase hex digits. It equals what <c>openssl x509 -in cert.pem -noout -fingerprint -sha256</c> prints, less the
/// colons and upper case; <see cref="Parse"/> accepts either form.
/// </summary>
public sealed class CertificateFingerprint : IEquatable<CertificateFingerprint>
{
    private const int HexDigits = 2 * SHA256.HashSizeInBytes;

    private CertificateFingerprint(string hex) => Hex = hex;

    /// <summary>64 lowercase hex digits.</summary>
    public string Hex { get; }

    /// <summary>The first 16 hex digits, enough to tell two certificates apart in an error message.</summary>
    public string Abbreviated => Hex[..16] + "…";

    public static CertificateFingerprint Of(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateFingerprint(Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData())));
    }

    /// <summary>Reads 64 hex digits, in either case, optionally separated by colons (openssl's form).</summary>
    public static CertificateFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hex = text.Trim().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        if (hex.Length != HexDigits || !hex.All(char.IsAsciiHexDigit))
            throw new FormatException(
                $"'{text}' is not a SHA-256 certificate fingerprint: expected {HexDigits} hex digits, optionally separated by colons");
        return new CertificateFingerprint(hex);
    }

    public bool Equals(CertificateFingerprint? other) => other is not null && Hex == other.Hex;

    public override bool Equals(object? obj) => Equals(obj as CertificateFingerprint);

    public override int GetHashCode() => Hex.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Hex;
}
