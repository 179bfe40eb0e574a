using System.Collections.Concurrent;
using Akka.Actor;
using CoPriv.Actors.Sessions;
using CoPriv.Network.FlowControl;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Channel;

/// <summary>
/// One party's end of a session channel whose bytes travel as Akka messages between the two parties' session actors
/// (in one ActorSystem, between two, or across Akka.Remote). Each party's protocol code runs on its own thread and
/// blocks in <see cref="IMessageStream.Send"/> / <see cref="IMessageStream.Receive"/>; the owning session actor feeds
/// the channel from its mailbox with <see cref="Deliver"/> and <see cref="Credit"/>, which never block.
/// <para>
/// A message is cut into chunks of at most <see cref="ActorChannelSettings.ChunkSize"/> bytes that the protocol thread
/// tells the peer's session actor directly. Per stream and direction at most <see cref="ActorChannelSettings.Window"/>
/// bytes are unacknowledged: the receiving end grants credit as each chunk reaches its buffer, so a sender
/// waits for the transport, never for the peer's protocol thread. This keeps the semantics of
/// <see cref="InMemoryChannel"/> (both parties may send before they receive), while Akka never sees an unbounded
/// burst. Each party learns exactly the bytes the other sends, as with every channel.
/// </para>
/// </summary>
public sealed class ActorChannel : ChannelBase, ISessionDataPlane
{
    private readonly ConcurrentDictionary<string, StreamEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly string _sessionId;
    private readonly IActorRef _owner;
    private readonly IActorRef _peer;
    private readonly object _closeGate = new();
    private string? _closedReason;
    private bool _closedByPeer;
    private bool _peerTold;
    private long _chunksSent;

    /// <param name="role">The party owning this end.</param>
    /// <param name="sessionId">The session, named in abort messages to the peer.</param>
    /// <param name="owner">This party's session actor: the sender of chunks, to which the peer returns credit.</param>
    /// <param name="peer">The peer's session actor, which receives this end's chunks.</param>
    public ActorChannel(PartyRole role, string sessionId, IActorRef owner, IActorRef peer,
        ActorChannelSettings? settings = null, TrafficMeter? meter = null) : base(role, meter)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        _sessionId = sessionId;
        _owner = owner ?? throw new ArgumentNullException(nameof(owner));
        _peer = peer ?? throw new ArgumentNullException(nameof(peer));
        Settings = settings ?? ActorChannelSettings.Default;
    }

    public ActorChannelSettings Settings { get; }

    IChannel ISessionDataPlane.Channel => this;

    /// <summary>The most unacknowledged bytes any stream of this end has had outstanding (never above the window).</summary>
    public long PeakInFlightBytes => _endpoints.Values.Select(e => e.PeakInFlightBytes).DefaultIfEmpty(0).Max();

    public long ChunksSent => Interlocked.Read(ref _chunksSent);

    /// <summary>Why this end is closed, or null while it is open.</summary>
    public string? ClosedReason
    {
        get { lock (_closeGate) return _closedReason; }
    }

    protected override MessageTransport OpenTransport(string name) => Endpoint(name);

    /// <summary>
    /// Called by the owning actor for each chunk from the peer: buffers it for the protocol thread and returns credit
    /// to the peer. Never blocks. A chunk out of sequence is a <see cref="ProtocolException"/>.
    /// </summary>
    public void Deliver(PayloadChunk chunk)
    {
        if (ClosedReason is not null) return;
        Endpoint(chunk.Stream).Arrive(chunk);
        // Credit per chunk, not in batches: a batch sized by this end's settings could starve a peer whose window
        // is smaller (the two machines may be configured differently), and batching measured no faster.
        if (chunk.Data.Length > 0) _peer.Tell(new PayloadCredit(chunk.Stream, chunk.Data.Length), _owner);
    }

    /// <summary>Called by the owning actor when the peer grants credit; wakes a sender waiting for the window.</summary>
    public void Credit(PayloadCredit credit) => Endpoint(credit.Stream).Release(credit.Bytes);

    /// <summary>Closes this end because of a failure and tells the peer's session, which fails its end too.</summary>
    public override void Fail(string reason) => Abort(null, reason);

    /// <summary>As <see cref="Fail"/>, naming the step in which the session failed.</summary>
    public void Abort(string? step, string reason)
    {
        bool tellPeer;
        lock (_closeGate)
        {
            tellPeer = !_peerTold && !_closedByPeer;
            _peerTold = true;
        }
        Close(reason, byPeer: false);
        if (tellPeer) _peer.Tell(new SessionAborted(_sessionId, Role, step, reason), _owner);
    }

    /// <summary>
    /// Closes this end because the peer aborted or is gone; nothing is sent back. Messages already buffered can still
    /// be received; waiting for more fails with a <see cref="ChannelClosedException"/> carrying the reason.
    /// </summary>
    public void CloseByPeer(string reason) => Close(reason, byPeer: true);

    /// <summary>Ends this end after a finished session without telling the peer (the session handshake already did).</summary>
    public override void Dispose() => Close($"the {RoleName} ended the session", byPeer: false);

    private string RoleName => Role.ToString().ToLowerInvariant();

    private StreamEndpoint Endpoint(string name)
    {
        var endpoint = _endpoints.GetOrAdd(name, n => new StreamEndpoint(this, n));
        // An endpoint added while Close ran may have missed its loop; closing twice is harmless.
        if (ClosedReason is not null) endpoint.Close(WhyClosed());
        return endpoint;
    }

    private void Close(string reason, bool byPeer)
    {
        lock (_closeGate)
        {
            if (_closedReason is not null) return;
            _closedReason = reason;
            _closedByPeer = byPeer;
        }
        string why = WhyClosed();
        foreach (var endpoint in _endpoints.Values) endpoint.Close(why);
    }

    private ChannelClosedException Closed(string stream, string action) => new($"stream '{stream}': cannot {action}, {WhyClosed()}");

    private string WhyClosed()
    {
        lock (_closeGate)
        {
            return _closedByPeer
                ? $"the {Role.Peer().ToString().ToLowerInvariant()} closed the channel ({_closedReason})"
                : $"this party's channel is closed ({_closedReason})";
        }
    }

    /// <summary>
    /// Both directions of one named stream at this end: sending under the Network room's <see cref="ChunkedFlowControl"/>
    /// (chunks told straight to the peer's session actor), receiving from the chunks the owning actor delivers.
    /// </summary>
    private sealed class StreamEndpoint : MessageTransport
    {
        private readonly ActorChannel _channel;
        private readonly string _name;
        private readonly ChunkedFlowControl _flow;
        private readonly ChunkedFlowControl.ChunkSink _tellPeer;
        private long _nextSendSequence;

        private readonly object _receiveGate = new();
        private readonly Queue<PayloadChunk> _arrived = new();
        private long _nextArrivalSequence;

        public StreamEndpoint(ActorChannel channel, string name)
        {
            _channel = channel;
            _name = name;
            var settings = channel.Settings;
            _flow = new ChunkedFlowControl(name, settings.ChunkSize, settings.Window, settings.WaitTimeout,
                channel.Role.Peer().ToString().ToLowerInvariant());
            _tellPeer = TellPeer;
        }

        public long PeakInFlightBytes => _flow.PeakUnacknowledged;

        public override void Send(ReadOnlySpan<byte> message) => _flow.Send(message, _tellPeer);

        private void TellPeer(ReadOnlySpan<byte> chunk, int offset, int length)
        {
            // One protocol thread sends on a stream, so the chunks are told in sequence order.
            _channel._peer.Tell(new PayloadChunk(_name, _nextSendSequence++, length, offset, chunk), _channel._owner);
            Interlocked.Increment(ref _channel._chunksSent);
        }

        public override int Receive(Span<byte> dst)
        {
            var chunk = Next();
            if (chunk.Offset != 0)
                throw new ProtocolException($"stream '{_name}': a message began at offset {chunk.Offset} instead of 0");
            int length = chunk.MessageLength;
            bool keep = length == dst.Length;
            while (true)
            {
                if (keep) chunk.Data.Span.CopyTo(dst[chunk.Offset..]);
                if (chunk.IsLast) return length;
                var next = Next();
                if (next.MessageLength != length || next.Offset != chunk.Offset + chunk.Data.Length)
                    throw new ProtocolException(
                        $"stream '{_name}': chunk at offset {next.Offset} of a {next.MessageLength}-byte message does not continue the {length}-byte message at offset {chunk.Offset + chunk.Data.Length}");
                chunk = next;
            }
        }

        public void Arrive(PayloadChunk chunk)
        {
            lock (_receiveGate)
            {
                if (chunk.Sequence != _nextArrivalSequence)
                    throw new ProtocolException(
                        $"stream '{_name}': chunk #{chunk.Sequence} arrived where #{_nextArrivalSequence} was due (lost or reordered)");
                _nextArrivalSequence++;
                _arrived.Enqueue(chunk);
                Monitor.PulseAll(_receiveGate);
            }
        }

        public void Release(int bytes) => _flow.Acknowledge(bytes);

        public void Close(string why)
        {
            _flow.Fail(why);
            lock (_receiveGate) Monitor.PulseAll(_receiveGate);
        }

        private PayloadChunk Next()
        {
            lock (_receiveGate)
            {
                var deadline = Deadline();
                while (_arrived.Count == 0)
                {
                    if (_channel.ClosedReason is not null) throw _channel.Closed(_name, "receive");
                    WaitUntil(_receiveGate, deadline, "message");
                }
                return _arrived.Dequeue();
            }
        }

        private DateTime Deadline() =>
            _channel.Settings.WaitTimeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + _channel.Settings.WaitTimeout;

        /// <summary>Waits on a held gate for a pulse, failing when the deadline passes.</summary>
        private void WaitUntil(object gate, DateTime deadline, string what)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new ProtocolException(
                    $"stream '{_name}': no {what} from the {_channel.Role.Peer().ToString().ToLowerInvariant()} within {_channel.Settings.WaitTimeout.TotalSeconds:0.###} s");
            Monitor.Wait(gate, left > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : left);
        }
    }
}
