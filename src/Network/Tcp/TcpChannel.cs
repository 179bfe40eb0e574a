using System.Net;
using System.Net.Sockets;
using System.Text;
using CoPriv.Network.FlowControl;
using CoPriv.Network.Transport;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using static CoPriv.Network.Tcp.TcpWireFormat;

namespace CoPriv.Network.Tcp;

/// <summary>
/// One party's end of the direct data plane between two machines: all named streams of a session multiplexed over
/// one TCP connection as frames of at most 64 KiB (see <see cref="TcpWireFormat"/>), so a long message on one stream
/// does not hold up the others for long. TCP provides ordering and back-pressure. Both ends first exchange hellos
/// and refuse a peer that speaks another version or plays the same role. A malformed frame fails every stream with
/// a <see cref="ProtocolException"/>; a peer that closes, fails or disconnects fails every pending and later receive
/// at once with a <see cref="ChannelClosedException"/>. Connect with <see cref="ConnectAsync"/>, accept with
/// <see cref="TcpChannelListener"/>.
/// </summary>
public sealed class TcpChannel : ChannelBase
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly TcpChannelOptions _options;
    private readonly object _writeGate = new();
    private readonly byte[] _frame = new byte[FrameHeaderBytes + MaxFramePayload];
    private readonly Dictionary<string, uint> _outgoingIds = new(StringComparer.Ordinal);
    private readonly object _stateGate = new();
    private readonly Dictionary<string, InboundMessageQueue> _queues = new(StringComparer.Ordinal);
    private string? _localClosed, _peerGone;
    private bool _peerGoneByProtocolError, _readerDone, _socketDisposed;

    private TcpChannel(Socket socket, PartyRole role, string peerSessionId, TcpChannelOptions options) : base(role)
    {
        _socket = socket;
        _options = options;
        PeerSessionId = peerSessionId;
        LocalEndPoint = socket.LocalEndPoint!;
        RemoteEndPoint = socket.RemoteEndPoint!;
        new Thread(ReadLoop) { IsBackground = true, Name = $"copriv-tcp-{role.ToString().ToLowerInvariant()}" }.Start();
    }

    /// <summary>The session id the peer announced in its hello.</summary>
    public string PeerSessionId { get; }

    public EndPoint LocalEndPoint { get; }
    public EndPoint RemoteEndPoint { get; }

    /// <summary>Connects to a listening peer and exchanges hellos; the peer must play the other role.</summary>
    public static async Task<TcpChannel> ConnectAsync(EndPoint remote, PartyRole role, TcpChannelOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remote);
        options ??= TcpChannelOptions.Default;
        var socket = remote is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.HandshakeTimeout);
            try
            {
                await socket.ConnectAsync(remote, timeout.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new ChannelClosedException($"cannot connect to {remote}: {e.Message}", e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ProtocolException($"no connection to {remote} within {options.HandshakeTimeout.TotalSeconds:0.###} s");
            }
            return await HandshakeAsync(socket, role, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Exchanges hellos over a connected socket and starts the channel; disposes the socket on failure.</summary>
    internal static async Task<TcpChannel> HandshakeAsync(Socket socket, PartyRole role, TcpChannelOptions options,
        CancellationToken cancellationToken)
    {
        try
        {
            socket.NoDelay = true;
            socket.SendBufferSize = options.SocketBufferBytes;
            socket.ReceiveBufferSize = options.SocketBufferBytes;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.HandshakeTimeout);
            string peerSession;
            try
            {
                peerSession = await ExchangeHellosAsync(socket, role, options.SessionId, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ProtocolException(
                    $"no hello from the peer at {socket.RemoteEndPoint} within {options.HandshakeTimeout.TotalSeconds:0.###} s");
            }
            catch (SocketException e)
            {
                throw new ChannelClosedException($"the connection to {socket.RemoteEndPoint} broke during the handshake: {e.Message}", e);
            }
            return new TcpChannel(socket, role, peerSession, options);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected override MessageTransport OpenTransport(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            throw new ArgumentException($"a stream name may have at most {MaxNameBytes} bytes in UTF-8", nameof(name));
        return new StreamTransport(this, name, QueueFor(name));
    }

    public override void Fail(string reason)
    {
        lock (_stateGate)
        {
            if (_localClosed is not null) return;
            _localClosed = reason;
            foreach (var queue in _queues.Values) queue.CloseReader(reason);
        }
        SayGoodbye(reason);
        lock (_stateGate)
        {
            if (_readerDone) DisposeSocket();
        }
        // The reader drains until the peer closes too, so that nothing we sent is lost to a reset; a peer that
        // never closes does not keep the socket alive for long.
        _ = Task.Delay(Linger).ContinueWith(_ => { lock (_stateGate) DisposeSocket(); }, TaskScheduler.Default);
    }

    /// <summary>Cuts the connection without a goodbye, as a crashing process would (tests of the peer's reaction).</summary>
    internal void Abort()
    {
        lock (_stateGate)
        {
            _localClosed ??= "aborted";
            foreach (var queue in _queues.Values) queue.CloseReader("aborted");
            _socket.LingerState = new LingerOption(true, 0);
            DisposeSocket();
        }
    }

    private void SendMessage(string name, ReadOnlySpan<byte> message)
    {
        int offset = 0;
        do
        {
            int length = Math.Min(MaxFramePayload, message.Length - offset);
            var kind = offset + length == message.Length ? FrameKind.MessageEnd : FrameKind.MessagePart;
            lock (_writeGate)
            {
                ThrowIfClosed(name);
                try
                {
                    if (!_outgoingIds.TryGetValue(name, out uint id))
                    {
                        id = (uint)_outgoingIds.Count + 1;
                        WriteFrame(FrameKind.OpenStream, id, Encoding.UTF8.GetBytes(name));
                        _outgoingIds.Add(name, id);
                    }
                    WriteFrame(kind, id, message.Slice(offset, length));
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    ThrowIfClosed(name);
                    throw new ChannelClosedException($"stream '{name}': the connection to the peer was lost ({e.Message})", e);
                }
            }
            offset += length;
        } while (offset < message.Length);
    }

    private void ThrowIfClosed(string name)
    {
        lock (_stateGate)
        {
            if (_localClosed is not null)
                throw new ChannelClosedException($"stream '{name}': cannot send, this party's channel is closed ({_localClosed})");
            if (_peerGone is not null)
                throw _peerGoneByProtocolError
                    ? new ProtocolException($"stream '{name}': cannot send, {_peerGone}")
                    : new ChannelClosedException($"stream '{name}': cannot send, the peer is gone ({_peerGone})");
        }
    }

    /// <summary>Writes one frame; the caller holds the write lock.</summary>
    private void WriteFrame(FrameKind kind, uint stream, ReadOnlySpan<byte> payload)
    {
        WriteFrameHeader(_frame, kind, stream, payload.Length);
        payload.CopyTo(_frame.AsSpan(FrameHeaderBytes));
        int total = FrameHeaderBytes + payload.Length, sent = 0;
        while (sent < total) sent += _socket.Send(_frame, sent, total - sent, SocketFlags.None);
    }

    /// <summary>Tells the peer why this end stops sending (best effort) and half-closes the connection.</summary>
    private void SayGoodbye(string reason)
    {
        if (!Monitor.TryEnter(_writeGate, TimeSpan.FromSeconds(1))) return; // a send is stuck: the reset will tell
        try
        {
            var text = Encoding.UTF8.GetBytes(reason.Length > 4000 ? reason[..4000] : reason);
            WriteFrame(FrameKind.Close, 0, text);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The connection is already gone; the peer learns it from that.
        }
        finally
        {
            Monitor.Exit(_writeGate);
        }
    }

    private InboundMessageQueue QueueFor(string name)
    {
        lock (_stateGate)
        {
            if (_queues.TryGetValue(name, out var queue)) return queue;
            queue = new InboundMessageQueue(name, _options.ReceiveTimeout);
            if (_localClosed is not null) queue.CloseReader(_localClosed);
            else if (_peerGone is not null) queue.CloseWriter(_peerGone, _peerGoneByProtocolError);
            _queues.Add(name, queue);
            return queue;
        }
    }

    private void ReadLoop()
    {
        var reader = new FrameReader(_socket);
        var incoming = new Dictionary<uint, (InboundMessageQueue Queue, ChunkReassembler Assembler)>();
        string reason;
        bool protocolError = false;
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var kind, out uint stream, out var payload))
                {
                    reason = "the peer disconnected without closing the channel";
                    break;
                }
                if (kind == FrameKind.Close)
                {
                    reason = DecodeText(payload, "a closing reason");
                    break;
                }
                if (kind == FrameKind.OpenStream)
                {
                    var name = DecodeText(payload, "a stream name");
                    if (stream != incoming.Count + 1)
                        throw new ProtocolException($"the peer opened stream '{name}' with id {stream}, expected id {incoming.Count + 1}");
                    if (name.Length == 0 || incoming.Values.Any(s => s.Queue.StreamName == name))
                        throw new ProtocolException($"the peer opened stream '{name}' twice or with an empty name");
                    incoming.Add(stream, (QueueFor(name), new ChunkReassembler(name, MaxFramePayload, _options.MaxMessageBytes)));
                    continue;
                }
                if (!incoming.TryGetValue(stream, out var target))
                    throw new ProtocolException($"the peer sent a message on stream id {stream}, which it never opened");
                if (target.Assembler.Add(payload, kind == FrameKind.MessageEnd, out var message))
                    target.Queue.TryEnqueueOwned(message.Buffer, message.Length, 0);
            }
        }
        catch (ProtocolException e)
        {
            reason = $"the {Role.ToString().ToLowerInvariant()} rejected the data from the peer: {e.Message}";
            protocolError = true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            reason = $"the connection to the peer was lost ({e.Message})";
        }
        foreach (var (_, assembler) in incoming.Values) assembler.Reset();
        PeerGone(reason, protocolError);
    }

    private void PeerGone(string reason, bool protocolError)
    {
        bool closeNow;
        lock (_stateGate)
        {
            _peerGone ??= reason;
            _peerGoneByProtocolError = protocolError;
            _readerDone = true;
            foreach (var queue in _queues.Values) queue.CloseWriter(reason, protocolError);
            closeNow = _localClosed is not null;
        }
        if (protocolError)
        {
            SayGoodbye(reason);
            closeNow = true;
        }
        if (closeNow) lock (_stateGate) DisposeSocket();
    }

    private void DisposeSocket()
    {
        if (_socketDisposed) return;
        _socketDisposed = true;
        _socket.Dispose();
    }

    private sealed class StreamTransport(TcpChannel channel, string name, InboundMessageQueue incoming) : MessageTransport
    {
        public override void Send(ReadOnlySpan<byte> message) => channel.SendMessage(name, message);

        public override int Receive(Span<byte> dst) => incoming.Dequeue().CopyToAndRelease(dst);
    }

    /// <summary>Reads frames through a buffer big enough for the largest frame.</summary>
    private sealed class FrameReader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[4 * (FrameHeaderBytes + MaxFramePayload)];
        private int _start, _end;

        /// <summary>The next frame; false when the peer ended the connection cleanly between frames.</summary>
        public bool TryRead(out FrameKind kind, out uint stream, out ReadOnlySpan<byte> payload)
        {
            payload = default;
            kind = default;
            stream = 0;
            if (!Fill(FrameHeaderBytes, atFrameStart: true)) return false;
            (kind, stream, int length) = ReadFrameHeader(_buffer.AsSpan(_start, FrameHeaderBytes));
            Fill(FrameHeaderBytes + length, atFrameStart: false);
            payload = _buffer.AsSpan(_start + FrameHeaderBytes, length);
            _start += FrameHeaderBytes + length;
            return true;
        }

        /// <summary>Buffers <paramref name="needed"/> bytes; false only for a clean end before a frame starts.</summary>
        private bool Fill(int needed, bool atFrameStart)
        {
            while (_end - _start < needed)
            {
                if (_buffer.Length - _start < needed)
                {
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    _end -= _start;
                    _start = 0;
                }
                int got = socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
                if (got == 0)
                {
                    if (atFrameStart && _end == _start) return false;
                    throw new ProtocolException(
                        $"the connection ended in the middle of a frame: {_end - _start} of {needed} bytes arrived");
                }
                _end += got;
            }
            return true;
        }
    }
}
