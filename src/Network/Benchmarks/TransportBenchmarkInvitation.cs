using System.Globalization;
using System.Net;
using CoPriv.Network.Tls;

namespace CoPriv.Network.Benchmarks;

/// <summary>
/// What the receiving end of a transport benchmark tells the sending end, which may be another process: where to
/// connect, what to pin, the session token and how much to send. <see cref="ToArguments"/> and <see cref="Parse"/>
/// carry it over a command line (<c>copriv bench transport --peer …</c>).
/// </summary>
public sealed record TransportBenchmarkInvitation(
    string Transport, IPEndPoint Endpoint, CertificateFingerprint? Fingerprint, byte[] Token, int MessageBytes, long TotalBytes)
{
    public IReadOnlyList<string> ToArguments()
    {
        var arguments = new List<string>
        {
            "--peer", Endpoint.ToString(),
            "--transport", Transport,
            "--token", Convert.ToHexStringLower(Token),
            "--message-bytes", MessageBytes.ToString(CultureInfo.InvariantCulture),
            "--total-bytes", TotalBytes.ToString(CultureInfo.InvariantCulture),
        };
        if (Fingerprint is not null) arguments.AddRange(["--fingerprint", Fingerprint.Hex]);
        return arguments;
    }

    /// <summary>Reads the arguments <see cref="ToArguments"/> wrote (in any order); unknown or missing ones are refused.</summary>
    public static TransportBenchmarkInvitation Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < arguments.Count; i += 2)
        {
            if (i + 1 >= arguments.Count || !arguments[i].StartsWith("--", StringComparison.Ordinal))
                throw new FormatException($"expected '--name value' pairs, got '{string.Join(' ', arguments)}'");
            values[arguments[i][2..]] = arguments[i + 1];
        }
        string Take(string name) => values.Remove(name, out var value)
            ? value
            : throw new FormatException($"the transport benchmark's peer needs --{name}");
        var transport = TransportBenchmark.CheckTransport(Take("transport"));
        var invitation = new TransportBenchmarkInvitation(
            transport,
            IPEndPoint.Parse(Take("peer")),
            values.Remove("fingerprint", out var fingerprint) ? CertificateFingerprint.Parse(fingerprint) : null,
            Convert.FromHexString(Take("token")),
            int.Parse(Take("message-bytes"), CultureInfo.InvariantCulture),
            long.Parse(Take("total-bytes"), CultureInfo.InvariantCulture));
        if (values.Count > 0)
            throw new FormatException($"unknown transport benchmark arguments: {string.Join(", ", values.Keys.Select(k => "--" + k))}");
        return invitation;
    }
}
