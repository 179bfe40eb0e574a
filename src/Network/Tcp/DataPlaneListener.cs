using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CoPriv.Network.Tls;
using CoPriv.Protocols.Core;

namespace CoPriv.Network.Tcp;

/// <summary>
/// The data-plane port of a party that serves many sessions (the server): it accepts connections, gives each its own
/// handshake bounded by the handshake timeout (a peer that never sends its hello holds up no one else), and hands a
/// connection to the session named in its hello if the hello carries the token that session was given; anything else
/// is refused with the reason, which the peer learns and <c>onRefused</c> reports. The server calls
/// <see cref="Expect"/> with a fresh <see cref="NewSessionToken"/> for each session and gives the token to the client
/// over the control plane; the client connects with <see cref="TcpChannel.ConnectAsync"/>. A stranger learns
/// nothing but the refusal (and, with TLS, the certificate).
/// </summary>
public sealed class DataPlaneListener : IDisposable
{
    /// <summary>Bytes of a token from <see cref="NewSessionToken"/>.</summary>
    public const int SessionTokenBytes = 32;

    // Each pending handshake holds a socket and TLS state: a flood of silent connections must not exhaust them.
    private const int MaxPendingHandshakes = 64;

    private readonly Socket _socket;
    private readonly TcpChannelOptions _options;
    private readonly Action<string>? _onRefused;
    private readonly CancellationTokenSource _stop = new();
    // Taken once: handshakes still running when the listener is disposed must not read the disposed source's token.
    private readonly CancellationToken _stopping;
    private readonly Dictionary<string, Expectation> _expected = new(StringComparer.Ordinal);
    private int _pendingHandshakes;
    private bool _disposed;

    private DataPlaneListener(Socket socket, PartyRole role, TcpChannelOptions options, Action<string>? onRefused)
    {
        _socket = socket;
        Role = role;
        _options = options;
        _onRefused = onRefused;
        _stopping = _stop.Token;
        _ = Task.Run(AcceptLoopAsync);
    }

    /// <summary>
    /// Listens on <paramref name="endpoint"/> (port 0: any free port, see <see cref="LocalEndPoint"/>) with the
    /// options' certificate (or Insecure), limits and timeouts; <paramref name="onRefused"/> hears why a connection was
    /// turned away (for the log).
    /// </summary>
    public static DataPlaneListener Start(IPEndPoint endpoint, PartyRole role, TcpChannelOptions options,
        Action<string>? onRefused = null, int backlog = 64)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(accepting: true);
        return new DataPlaneListener(TcpChannelListener.Listen(endpoint, backlog), role, options, onRefused);
    }

    /// <summary>The role of the channels this listener accepts (the connecting peers play the other).</summary>
    public PartyRole Role { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>What clients pin (null when insecure).</summary>
    public CertificateFingerprint? Fingerprint => _options.Insecure ? null : _options.Certificate!.Fingerprint;

    /// <summary>A fresh secret for one session's hello: 32 random bytes.</summary>
    public static byte[] NewSessionToken() => RandomNumberGenerator.GetBytes(SessionTokenBytes);

    /// <summary>
    /// Waits for the peer of session <paramref name="sessionId"/> to connect with <paramref name="token"/>. Fails with
    /// a <see cref="ProtocolException"/> if it does not within the options' expect timeout, with a
    /// <see cref="ChannelClosedException"/> if the listener stops first, or is cancelled. Connections with a wrong
    /// token are refused and the session goes on waiting; once connected, the session id is free again.
    /// </summary>
    public Task<TcpChannel> Expect(string sessionId, byte[] token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(token);
        if (Encoding.UTF8.GetByteCount(sessionId) > TcpWireFormat.MaxNameBytes)
            throw new ArgumentException($"a session id may have at most {TcpWireFormat.MaxNameBytes} bytes in UTF-8", nameof(sessionId));
        if (token.Length is 0 or > TcpWireFormat.MaxTokenBytes)
            throw new ArgumentException($"a session token has 1 to {TcpWireFormat.MaxTokenBytes} bytes (see NewSessionToken)", nameof(token));
        var expectation = new Expectation(sessionId, token.ToArray());
        lock (_expected)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_expected.TryAdd(sessionId, expectation))
                throw new InvalidOperationException($"session '{sessionId}' already expects a data-plane connection");
            // Inside the lock, so that no connection claims the expectation before its timeout is armed.
            expectation.StopWaiting(this, _options.ExpectTimeout, cancellationToken);
        }
        return expectation.Connected.Task;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(_stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or a connection reset before it was accepted: the port stays open.
                _onRefused?.Invoke($"accepting a data-plane connection failed: {e.Message}");
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                continue;
            }
            if (Interlocked.Increment(ref _pendingHandshakes) > MaxPendingHandshakes)
            {
                Interlocked.Decrement(ref _pendingHandshakes);
                _onRefused?.Invoke($"refused the data-plane connection from {socket.RemoteEndPoint}: {MaxPendingHandshakes} handshakes are pending already");
                socket.Dispose();
                continue;
            }
            _ = HandshakeAsync(socket);
        }
    }

    private async Task HandshakeAsync(Socket socket)
    {
        var peer = socket.RemoteEndPoint;
        Expectation? claimed = null;
        try
        {
            var channel = await TcpChannel.AcceptAsync(socket, Role, _options, hello => Claim(hello, out claimed), _stopping)
                .ConfigureAwait(false);
            if (!claimed!.Connected.TrySetResult(channel)) channel.Dispose();
            claimed.Dispose();
        }
        catch (Exception e)
        {
            if (claimed is not null) Restore(claimed);
            _onRefused?.Invoke(e is ProtocolException ? e.Message : $"the data-plane connection from {peer} failed: {e.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _pendingHandshakes);
        }
    }

    /// <summary>Takes the expectation a hello answers, or says why none.</summary>
    private string? Claim(PeerHello hello, out Expectation? claimed)
    {
        claimed = null;
        lock (_expected)
        {
            if (!_expected.TryGetValue(hello.SessionId, out var expectation))
                return $"no session '{hello.SessionId}' expects a data-plane connection here (unknown, timed out, or connected already)";
            if (!CryptographicOperations.FixedTimeEquals(expectation.Token, hello.Token))
                return $"the session token for session '{hello.SessionId}' is wrong";
            _expected.Remove(hello.SessionId);
            claimed = expectation;
            return null;
        }
    }

    /// <summary>The claimed connection broke during its handshake: the session waits for another.</summary>
    private void Restore(Expectation expectation)
    {
        lock (_expected)
        {
            if (!_disposed && !expectation.Connected.Task.IsCompleted) _expected.TryAdd(expectation.SessionId, expectation);
        }
    }

    private void Withdraw(Expectation expectation, Exception why)
    {
        lock (_expected)
        {
            if (_expected.TryGetValue(expectation.SessionId, out var current) && current == expectation)
                _expected.Remove(expectation.SessionId);
        }
        expectation.Connected.TrySetException(why);
        expectation.Dispose();
    }

    public void Dispose()
    {
        List<Expectation> waiting;
        lock (_expected)
        {
            if (_disposed) return;
            _disposed = true;
            waiting = [.. _expected.Values];
            _expected.Clear();
        }
        _stop.Cancel();
        _socket.Dispose();
        foreach (var expectation in waiting)
        {
            expectation.Connected.TrySetException(new ChannelClosedException(
                $"session '{expectation.SessionId}': the data-plane listener stopped before the peer connected"));
            expectation.Dispose();
        }
        _stop.Dispose();
    }

    /// <summary>A session waiting for its peer's connection.</summary>
    private sealed class Expectation(string sessionId, byte[] token) : IDisposable
    {
        private CancellationTokenSource? _timeout;
        private CancellationTokenRegistration _timedOut, _cancelled;

        public string SessionId => sessionId;
        public byte[] Token => token;
        public TaskCompletionSource<TcpChannel> Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void StopWaiting(DataPlaneListener listener, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _timeout = new CancellationTokenSource(timeout);
            _timedOut = _timeout.Token.Register(() => listener.Withdraw(this, new ProtocolException(
                $"session '{sessionId}': the peer did not connect to the data plane within {timeout.TotalSeconds:0.###} s")));
            _cancelled = cancellationToken.Register(() => listener.Withdraw(this, new OperationCanceledException(cancellationToken)));
        }

        public void Dispose()
        {
            _timedOut.Dispose();
            _cancelled.Dispose();
            _timeout?.Dispose();
        }
    }
}
