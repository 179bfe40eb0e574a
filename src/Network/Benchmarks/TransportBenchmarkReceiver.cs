using CoPriv.Network.Tcp;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Benchmarks;

/// <summary>
/// The receiving end of a transport benchmark, listening: hand <see cref="Invitation"/> to the sender (see
/// <see cref="TransportBenchmark"/>) and await <see cref="Completion"/>.
/// </summary>
public sealed class TransportBenchmarkReceiver : IDisposable
{
    // Long enough for a child process to start and connect.
    private static readonly TimeSpan SenderTimeout = TimeSpan.FromSeconds(60);

    private readonly TcpChannelListener _listener;
    private readonly DataPlaneCertificate? _certificate;

    internal TransportBenchmarkReceiver(TransportBenchmarkInvitation invitation, TcpChannelListener listener, DataPlaneCertificate? certificate)
    {
        Invitation = invitation;
        _listener = listener;
        _certificate = certificate;
        Completion = ReceiveAsync();
    }

    public TransportBenchmarkInvitation Invitation { get; }

    /// <summary>The receiver's measurement, once the sender has sent everything.</summary>
    public Task<TransportBenchmarkResult> Completion { get; }

    private async Task<TransportBenchmarkResult> ReceiveAsync()
    {
        TcpChannel channel;
        using (var timeout = new CancellationTokenSource(SenderTimeout))
        {
            try
            {
                channel = await _listener.AcceptAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new ProtocolException($"no transport benchmark sender connected within {SenderTimeout.TotalSeconds:0} s");
            }
            finally
            {
                _listener.Dispose();
            }
        }
        using var connected = channel;
        return await Task.Factory.StartNew(() => TransportBenchmark.Receive(channel, Invitation), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _certificate?.Dispose();
    }
}
