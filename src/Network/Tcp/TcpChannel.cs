using System.Diagnostics;
using System.Net;
using System.Net.Security;
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
/// one TCP connection, inside TLS 1.3 unless the options say insecure, as frames of at most 64 KiB (see
/// <see cref="TcpWireFormat"/>), so a long message on one stream does not hold up the others for long. TCP provides
/// ordering and back-pressure. The connecting end pins the accepting end's certificate and proves with its hello
/// (session id and token) that it belongs to the session; both refuse a peer that speaks another version or plays the
/// same role. Each party learns only the bytes the other sends it. A malformed frame fails every stream with a
/// <see cref="ProtocolException"/>; a peer that closes, fails or disconnects fails every pending and later receive at
/// once with a <see cref="ChannelClosedException"/>; a receive that waits longer than the idle timeout fails with a
/// <see cref="ProtocolException"/>. Connect with <see cref="ConnectAsync"/>, accept with
/// <see cref="TcpChannelListener"/> (one session) or <see cref="DataPlaneListener"/> (many).
/// </summary>
public sealed class TcpChannel : ChannelBase
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);
    // Frames go out in batches of this size: one write (one syscall, and with TLS full records) per batch instead of
    // per frame, while a message on another stream waits for at most one batch.
    internal const int SendBatchBytes = 16 * (FrameHeaderBytes + MaxFramePayload);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly TcpChannelOptions _options;
    private readonly ReceiveBudget _budget;
    private readonly object _writeGate = new();
    private readonly byte[] _batch = new byte[SendBatchBytes];
    private int _batchLength;
    private bool _saidGoodbye;
    private readonly Dictionary<string, uint> _outgoingIds = new(StringComparer.Ordinal);
    private readonly object _stateGate = new();
    private readonly Dictionary<string, InboundMessageQueue> _queues = new(StringComparer.Ordinal);
    private string? _localClosed, _peerGone;
    private bool _peerGoneByProtocolError, _readerDone, _socketDisposed;

    private TcpChannel(Socket socket, Stream stream, PartyRole role, string peerSessionId, TcpChannelOptions options) : base(role)
    {
        _socket = socket;
        _stream = stream;
        _options = options;
        _budget = new ReceiveBudget(options.MaxUnreadBytes, options.IdleTimeout);
        PeerSessionId = peerSessionId;
        LocalEndPoint = socket.LocalEndPoint!;
        RemoteEndPoint = socket.RemoteEndPoint!;
        // Sends are synchronous socket writes: the idle timeout bounds how long one waits for the peer to take data.
        socket.SendTimeout = options.IdleTimeout == Timeout.InfiniteTimeSpan ? 0 : (int)Math.Ceiling(options.IdleTimeout.TotalMilliseconds);
        new Thread(ReadLoop) { IsBackground = true, Name = $"copriv-tcp-{role.ToString().ToLowerInvariant()}" }.Start();
    }

    /// <summary>The session id the connecting end announced in its hello (empty at the connecting end).</summary>
    public string PeerSessionId { get; }

    /// <summary>True when the bytes travel inside TLS.</summary>
    public bool IsEncrypted => _stream is SslStream;

    public EndPoint LocalEndPoint { get; }
    public EndPoint RemoteEndPoint { get; }

    /// <summary>
    /// Connects to a listening peer, pins its certificate (unless insecure) and sends the hello with the options'
    /// session id and token; the peer must play the other role and accept the session.
    /// </summary>
    public static async Task<TcpChannel> ConnectAsync(EndPoint remote, PartyRole role, TcpChannelOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(accepting: false);
        var socket = remote is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
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
            }
            var stream = await TcpHandshake.ConnectAsync(socket, role, options, cancellationToken).ConfigureAwait(false);
            return new TcpChannel(socket, stream, role, peerSessionId: "", options);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the accepting end's handshake over a freshly accepted socket and starts the channel; disposes the socket
    /// on failure. <paramref name="admit"/> decides on the peer's hello (null: welcome; else why not).
    /// </summary>
    internal static async Task<TcpChannel> AcceptAsync(Socket socket, PartyRole role, TcpChannelOptions options,
        Func<PeerHello, string?> admit, CancellationToken cancellationToken)
    {
        try
        {
            var (stream, hello) = await TcpHandshake.AcceptAsync(socket, role, options, admit, cancellationToken).ConfigureAwait(false);
            return new TcpChannel(socket, stream, role, hello.SessionId, options);
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
        _budget.Close();
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
    internal void Abort() => Break("aborted");

    /// <summary>Closes this end at once, without a goodbye (the connection can no longer carry one).</summary>
    private void Break(string reason)
    {
        lock (_stateGate)
        {
            _localClosed ??= reason;
            foreach (var queue in _queues.Values) queue.CloseReader(reason);
            _socket.LingerState = new LingerOption(true, 0);
            DisposeSocket();
        }
        _budget.Close();
    }

    private void SendMessage(string name, ReadOnlySpan<byte> message)
    {
        int offset = 0;
        bool ended = false;
        while (!ended)
        {
            lock (_writeGate)
            {
                ThrowIfClosed(name);
                try
                {
                    if (!_outgoingIds.TryGetValue(name, out uint id))
                    {
                        id = (uint)_outgoingIds.Count + 1;
                        AppendFrame(FrameKind.OpenStream, id, Encoding.UTF8.GetBytes(name));
                        _outgoingIds.Add(name, id);
                    }
                    do
                    {
                        int length = Math.Min(MaxFramePayload, message.Length - offset);
                        ended = offset + length == message.Length;
                        AppendFrame(ended ? FrameKind.MessageEnd : FrameKind.MessagePart, id, message.Slice(offset, length));
                        offset += length;
                    } while (!ended && _batchLength + FrameHeaderBytes + MaxFramePayload <= _batch.Length);
                    FlushBatch();
                }
                catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
                {
                    var reason = $"stream '{name}': the peer took no data for {_options.IdleTimeout.TotalSeconds:0.###} s (idle timeout)";
                    Break(reason);
                    throw new ProtocolException(reason, e);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    ThrowIfClosed(name);
                    Break($"the connection to the peer was lost ({e.Message})");
                    throw new ChannelClosedException($"stream '{name}': the connection to the peer was lost ({e.Message})", e);
                }
                finally
                {
                    _batchLength = 0;
                }
            }
        }
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

    /// <summary>Adds one frame to the batch; the caller holds the write lock and has made room.</summary>
    private void AppendFrame(FrameKind kind, uint stream, ReadOnlySpan<byte> payload)
    {
        WriteFrameHeader(_batch.AsSpan(_batchLength), kind, stream, payload.Length);
        payload.CopyTo(_batch.AsSpan(_batchLength + FrameHeaderBytes));
        _batchLength += FrameHeaderBytes + payload.Length;
    }

    private void FlushBatch()
    {
        _stream.Write(_batch, 0, _batchLength);
        _stream.Flush();
        _batchLength = 0;
    }

    /// <summary>Tells the peer why this end stops sending (best effort) and half-closes the connection.</summary>
    private void SayGoodbye(string reason)
    {
        if (!Monitor.TryEnter(_writeGate, TimeSpan.FromSeconds(1))) return; // a send is stuck: the reset will tell
        try
        {
            if (_saidGoodbye) return;
            _saidGoodbye = true;
            var text = Encoding.UTF8.GetBytes(reason.Length > 4000 ? reason[..4000] : reason);
            AppendFrame(FrameKind.Close, 0, text);
            FlushBatch();
            // No TLS close_notify: the Close frame, authenticated by TLS, is what ends the stream; an end of the
            // connection without it is reported as a lost connection.
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The connection is already gone; the peer learns it from that.
        }
        finally
        {
            _batchLength = 0;
            Monitor.Exit(_writeGate);
        }
    }

    private InboundMessageQueue QueueFor(string name)
    {
        lock (_stateGate)
        {
            if (_queues.TryGetValue(name, out var queue)) return queue;
            queue = new InboundMessageQueue(name, _options.IdleTimeout);
            if (_localClosed is not null) queue.CloseReader(_localClosed);
            else if (_peerGone is not null) queue.CloseWriter(_peerGone, _peerGoneByProtocolError);
            _queues.Add(name, queue);
            return queue;
        }
    }

    private void ReadLoop()
    {
        var reader = new FrameReader(_stream);
        var incoming = new Dictionary<uint, (InboundMessageQueue Queue, ChunkReassembler Assembler)>();
        long unfinishedBytes = 0;
        string reason;
        bool protocolError = false;
        try
        {
            while (true)
            {
                if (_budget.WaitForRoom() is { } stuck)
                {
                    reason = stuck;
                    protocolError = true;
                    break;
                }
                if (!reader.TryReadHeader(out var kind, out uint stream, out int length))
                {
                    reason = "the peer disconnected without closing the channel";
                    break;
                }
                if (kind == FrameKind.Close)
                {
                    reason = DecodeText(reader.ReadBufferedPayload(length), "a closing reason");
                    break;
                }
                if (kind == FrameKind.OpenStream)
                {
                    var name = DecodeText(reader.ReadBufferedPayload(length), "a stream name");
                    if (stream != incoming.Count + 1)
                        throw new ProtocolException($"the peer opened stream '{name}' with id {stream}, expected id {incoming.Count + 1}");
                    if (name.Length == 0 || incoming.Values.Any(s => s.Queue.StreamName == name))
                        throw new ProtocolException($"the peer opened stream '{name}' twice or with an empty name");
                    incoming.Add(stream, (QueueFor(name), new ChunkReassembler(name, MaxFramePayload, _options.MaxMessageBytes)));
                    continue;
                }
                if (!incoming.TryGetValue(stream, out var target))
                    throw new ProtocolException($"the peer sent a message on stream id {stream}, which it never opened");
                bool end = kind == FrameKind.MessageEnd;
                int before = target.Assembler.BufferedBytes;
                var chunk = target.Assembler.NextChunk(length, end);
                unfinishedBytes += target.Assembler.BufferedBytes - before;
                if (unfinishedBytes > _options.MaxMessageBytes)
                    throw new ProtocolException(
                        $"the peer's unfinished messages on several streams hold {unfinishedBytes} bytes, more than the limit of {_options.MaxMessageBytes}");
                reader.ReadPayload(chunk);
                if (end)
                {
                    unfinishedBytes -= target.Assembler.BufferedBytes;
                    var message = target.Assembler.TakeMessage();
                    // Counted before it is queued: the party may take it the moment it is.
                    _budget.Arrived(target.Queue.StreamName, message.Length);
                    if (!target.Queue.TryEnqueueOwned(message.Buffer, message.Length, 0))
                        _budget.Taken(target.Queue.StreamName, message.Length);
                }
            }
        }
        catch (ProtocolException e)
        {
            reason = $"the {Role.ToString().ToLowerInvariant()} rejected the data from the peer: {e.Message}";
            protocolError = true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
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
            DrainUntilThePeerCloses();
            closeNow = true;
        }
        if (closeNow) lock (_stateGate) DisposeSocket();
    }

    /// <summary>
    /// Reads and drops what the peer still sends until it closes, for at most the linger time: closing a socket with
    /// unread data resets the connection, and the reset would destroy the goodbye before the peer reads it.
    /// </summary>
    private void DrainUntilThePeerCloses()
    {
        var scratch = new byte[MaxFramePayload];
        var draining = Stopwatch.StartNew();
        try
        {
            _socket.ReceiveTimeout = (int)Linger.TotalMilliseconds;
            while (draining.Elapsed < Linger && _stream.Read(scratch) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Closed or reset meanwhile: nothing left to drain.
        }
    }

    private void DisposeSocket()
    {
        if (_socketDisposed) return;
        _socketDisposed = true;
        _socket.Dispose();
        _stream.Dispose();
    }

    private sealed class StreamTransport(TcpChannel channel, string name, InboundMessageQueue incoming) : MessageTransport
    {
        public override void Send(ReadOnlySpan<byte> message) => channel.SendMessage(name, message);

        public override int Receive(Span<byte> dst)
        {
            var message = incoming.Dequeue();
            channel._budget.Taken(name, message.Length);
            return message.CopyToAndRelease(dst);
        }
    }

    /// <summary>
    /// Reads frames: headers and small payloads through a buffer, message payloads straight into their destination,
    /// so that a message's bytes are copied once between the connection and the party (twice with the final receive).
    /// </summary>
    private sealed class FrameReader(Stream stream)
    {
        // How far a header read reads ahead: enough for a small frame to arrive with its header in one read, little
        // enough that most of a long frame's payload is read into its destination, not copied from here.
        private const int ReadAheadBytes = 4096;

        private readonly byte[] _buffer = new byte[MaxNameBytes + ReadAheadBytes + FrameHeaderBytes];
        private int _start, _end, _frameLength;

        /// <summary>The next frame's header; false when the peer ended the connection cleanly between frames.</summary>
        public bool TryReadHeader(out FrameKind kind, out uint streamId, out int length)
        {
            if (!Fill(FrameHeaderBytes, atFrameStart: true))
            {
                (kind, streamId, length) = (default, 0, 0);
                return false;
            }
            (kind, streamId, length) = ReadFrameHeader(_buffer.AsSpan(_start, FrameHeaderBytes));
            _start += FrameHeaderBytes;
            _frameLength = length;
            return true;
        }

        /// <summary>The payload of a frame no longer than <see cref="MaxNameBytes"/> (valid until the next read).</summary>
        public ReadOnlySpan<byte> ReadBufferedPayload(int length)
        {
            Fill(length, atFrameStart: false);
            var payload = _buffer.AsSpan(_start, length);
            _start += length;
            return payload;
        }

        /// <summary>Reads the current frame's payload into <paramref name="destination"/> (exactly its length).</summary>
        public void ReadPayload(Span<byte> destination)
        {
            int buffered = Math.Min(_end - _start, destination.Length);
            _buffer.AsSpan(_start, buffered).CopyTo(destination);
            _start += buffered;
            for (int read = buffered; read < destination.Length;)
            {
                int got = stream.Read(destination[read..]);
                if (got == 0) throw EndedInFrame(FrameHeaderBytes + read, FrameHeaderBytes + _frameLength);
                read += got;
            }
        }

        /// <summary>Buffers <paramref name="needed"/> bytes; false only for a clean end before a frame starts.</summary>
        private bool Fill(int needed, bool atFrameStart)
        {
            if (_end - _start >= needed) return true;
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
            while (_end < needed)
            {
                int got = stream.Read(_buffer, _end, Math.Min(_buffer.Length, needed + ReadAheadBytes) - _end);
                if (got == 0)
                {
                    if (atFrameStart && _end == 0) return false;
                    throw atFrameStart
                        ? EndedInFrame(_end, FrameHeaderBytes)
                        : EndedInFrame(FrameHeaderBytes + _end, FrameHeaderBytes + _frameLength);
                }
                _end += got;
            }
            return true;
        }

        private static ProtocolException EndedInFrame(int arrived, int expected) =>
            new($"the connection ended in the middle of a frame: {arrived} of {expected} bytes arrived");
    }
}
