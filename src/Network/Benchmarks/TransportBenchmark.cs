using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using CoPriv.Network.Tcp;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Benchmarks;

/// <summary>
/// Measures the data plane's throughput: one end sends <c>TotalBytes</c> in messages of <c>MessageBytes</c> on one
/// stream, the other receives them; transports <c>tcp</c> (insecure) and <c>tcp-tls</c> (TLS 1.3 with a fresh
/// in-memory certificate). To measure between two processes, the parent calls <see cref="StartReceiver"/>, starts the
/// child with the receiver's <see cref="TransportBenchmarkReceiver.Invitation"/> as arguments
/// (<c>copriv bench transport --peer … --transport … --token … --message-bytes … --total-bytes …</c>), the child
/// runs <see cref="RunSenderAsync"/> with <see cref="TransportBenchmarkInvitation.Parse"/> of them, and the parent
/// awaits <see cref="TransportBenchmarkReceiver.Completion"/>. <see cref="RunInProcessAsync"/> runs both ends here.
/// Timing starts when the sender says it is ready (after the handshake and a warm-up, see <see cref="WarmUpCount"/>)
/// and stops when the last byte has arrived;
/// the sender's own figure also includes the final acknowledgement's trip.
/// </summary>
public static class TransportBenchmark
{
    public const string Tcp = "tcp";
    public const string TcpTls = "tcp-tls";
    public const int DefaultMessageBytes = 4 << 20;
    public const long DefaultTotalBytes = 8L << 30;

    private const string SessionId = "transport-benchmark";
    private const string Bulk = "bulk";
    private const string Control = "control";

    public static IReadOnlyList<string> Transports { get; } = [Tcp, TcpTls];

    /// <summary>
    /// Listens on <paramref name="endpoint"/> (default: a free loopback port) and waits for one sender; the returned
    /// receiver's invitation says how to reach it.
    /// </summary>
    public static TransportBenchmarkReceiver StartReceiver(string transport, int messageBytes = DefaultMessageBytes,
        long totalBytes = DefaultTotalBytes, IPEndPoint? endpoint = null)
    {
        CheckTransport(transport);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messageBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBytes, messageBytes);
        var certificate = transport == TcpTls ? DataPlaneCertificate.CreateEphemeral() : null;
        var token = RandomNumberGenerator.GetBytes(DataPlaneListener.SessionTokenBytes);
        var options = new TcpChannelOptions
        {
            Insecure = certificate is null,
            Certificate = certificate,
            SessionId = SessionId,
            SessionToken = token,
            MaxMessageBytes = Math.Max(messageBytes, TcpChannelOptions.Default.MaxMessageBytes),
        };
        var listener = TcpChannelListener.Start(endpoint ?? new IPEndPoint(IPAddress.Loopback, 0), PartyRole.Server, options);
        var invitation = new TransportBenchmarkInvitation(transport, listener.LocalEndPoint, certificate?.Fingerprint, token,
            messageBytes, totalBytes);
        return new TransportBenchmarkReceiver(invitation, listener, certificate);
    }

    /// <summary>The sending end: connects as the invitation says, sends everything, waits for the receiver's acknowledgement.</summary>
    public static async Task<TransportBenchmarkResult> RunSenderAsync(TransportBenchmarkInvitation invitation,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var options = new TcpChannelOptions
        {
            Insecure = invitation.Fingerprint is null,
            PinnedFingerprint = invitation.Fingerprint,
            SessionId = SessionId,
            SessionToken = invitation.Token,
        };
        using var channel = await TcpChannel.ConnectAsync(invitation.Endpoint, PartyRole.Client, options, cancellationToken)
            .ConfigureAwait(false);
        return await Task.Factory.StartNew(() => Send(channel, invitation), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Both ends in this process, on their own threads.</summary>
    public static async Task<TransportBenchmarkResult> RunInProcessAsync(string transport, int messageBytes = DefaultMessageBytes,
        long totalBytes = DefaultTotalBytes, CancellationToken cancellationToken = default)
    {
        using var receiver = StartReceiver(transport, messageBytes, totalBytes);
        await RunSenderAsync(receiver.Invitation, cancellationToken).ConfigureAwait(false);
        return await receiver.Completion.ConfigureAwait(false);
    }

    internal static string CheckTransport(string transport) => Transports.Contains(transport)
        ? transport
        : throw new ArgumentException($"unknown transport '{transport}'; the benchmark knows {string.Join(", ", Transports)}", nameof(transport));

    internal static long MessageCount(TransportBenchmarkInvitation invitation) => invitation.TotalBytes / invitation.MessageBytes;

    /// <summary>
    /// Messages sent before the clock starts (a quarter of the measurement, at most 512 MiB, at least one): the first
    /// few hundred MiB run on unoptimised code and touch fresh buffers, which is not the steady state a session's
    /// bulk transfers see.
    /// </summary>
    internal static long WarmUpCount(TransportBenchmarkInvitation invitation) =>
        Math.Max(1, Math.Min(invitation.TotalBytes / 4, WarmUpBytes) / invitation.MessageBytes);

    private const long WarmUpBytes = 512L << 20;

    private static TransportBenchmarkResult Send(TcpChannel channel, TransportBenchmarkInvitation invitation)
    {
        var message = new byte[invitation.MessageBytes];
        RandomNumberGenerator.Fill(message);
        var bulk = channel.Stream(Bulk);
        var control = channel.Stream(Control);
        long count = MessageCount(invitation);
        for (long i = WarmUpCount(invitation); i > 0; i--) bulk.Send(message);
        control.Send([1]);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < count; i++) bulk.Send(message);
        control.Receive(new byte[1]);
        return new TransportBenchmarkResult(invitation.Transport, count * message.Length, message.Length, clock.Elapsed);
    }

    internal static TransportBenchmarkResult Receive(TcpChannel channel, TransportBenchmarkInvitation invitation)
    {
        var message = new byte[invitation.MessageBytes];
        var bulk = channel.Stream(Bulk);
        var control = channel.Stream(Control);
        long count = MessageCount(invitation);
        for (long i = WarmUpCount(invitation); i > 0; i--) bulk.Receive(message);
        control.Receive(new byte[1]);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < count; i++) bulk.Receive(message);
        var elapsed = clock.Elapsed;
        control.Send([1]);
        return new TransportBenchmarkResult(invitation.Transport, count * message.Length, message.Length, elapsed);
    }
}
