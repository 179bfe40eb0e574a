using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;

namespace CoPriv.Deployment.Tests;

/// <summary>
/// A misbehaving peer of a server's data plane, written from the wire format (src/Network/Tcp/TcpWireFormat.cs)
/// rather than with the project's own code: a TLS 1.3 connection to the server's data-plane port (pinning its
/// certificate), over which a test sends what it likes and reads what the server answers.
/// </summary>
internal sealed class RawDataPlanePeer : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly SslStream _tls;

    private RawDataPlanePeer(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    public static RawDataPlanePeer Connect(string host, int port, string pinnedFingerprint)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var tcp = new TcpClient();
        try
        {
            tcp.ConnectAsync(host, port, timeout.Token).AsTask().GetAwaiter().GetResult();
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "copriv-data-plane",
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
                    && Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData())) == pinnedFingerprint,
            }, timeout.Token).GetAwaiter().GetResult();
            return new RawDataPlanePeer(tcp, tls);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The start of a client's hello: "CPDP", version 2, role client, then the announced session-id and token lengths
    /// (the id and token themselves follow, and a test may never send them).
    /// </summary>
    public static byte[] HelloHead(int sessionIdBytes, int tokenBytes)
    {
        var head = new byte[10];
        "CPDP"u8.CopyTo(head);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(4), 2);
        head[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(7), (ushort)sessionIdBytes);
        head[9] = (byte)tokenBytes;
        return head;
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        _tls.Write(bytes);
        _tls.Flush();
    }

    /// <summary>The server's answer to a hello: null when it accepted, else its reason for refusing.</summary>
    public string? ReadAnswer()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var head = new byte[10];
        _tls.ReadExactlyAsync(head, timeout.Token).AsTask().GetAwaiter().GetResult();
        if (head[7] == 0) return null;
        var reason = new byte[BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8))];
        _tls.ReadExactlyAsync(reason, timeout.Token).AsTask().GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(reason);
    }

    public void Dispose()
    {
        _tls.Dispose();
        _tcp.Dispose();
    }
}
