using Akka.Actor;
using Akka.Remote.Transport;
using Google.Protobuf;

namespace CoPriv.Actors.Remoting;

/// <summary>
/// The Akka.Remote transport adapter <c>copriv-traffic</c> (<c>akka.remote.adapters</c>, applied to
/// <c>akka.remote.dot-netty.tcp</c> in the actor runtime's remote defaults): it wraps the DotNetty transport, plain or
/// TLS, under Akka's protocol layer and counts every frame written to and read from each connection, per peer, into
/// <see cref="RemoteTraffic"/>. Akka.Remote itself keeps no per-association counts.
/// <para>
/// It subclasses <see cref="Transport"/> rather than Akka's <c>AbstractTransportAdapter</c>: that base class adds its
/// own scheme to every address (<c>akka.&lt;scheme&gt;.ssl.tcp://…</c>), which would change the address of every
/// node, its seed-node spelling and the <c>akka.ssl.tcp</c> that tells a TLS node. This adapter keeps the wrapped
/// transport's scheme and addresses, so nodes with and without it talk to each other.
/// </para>
/// </summary>
public sealed class RemoteTrafficAdapterProvider : ITransportAdapterProvider
{
    /// <summary>The adapter's name in <c>akka.remote.adapters</c> and <c>applied-adapters</c>.</summary>
    public const string Name = "copriv-traffic";

    public Transport Create(Transport wrappedTransport, ExtendedActorSystem system) =>
        new MeteredTransport(wrappedTransport, system, RemoteTraffic.For(system));

    private sealed class MeteredTransport : Transport
    {
        private readonly Transport _wrapped;
        private readonly RemoteTraffic _traffic;

        public MeteredTransport(Transport wrapped, ActorSystem system, RemoteTraffic traffic)
        {
            _wrapped = wrapped;
            _traffic = traffic;
            System = system;
            Config = wrapped.Config;
            traffic.TransportMetered();
        }

        public override string SchemeIdentifier => _wrapped.SchemeIdentifier;

        public override long MaximumPayloadBytes => _wrapped.MaximumPayloadBytes;

        public override bool IsResponsibleFor(Address remote) => _wrapped.IsResponsibleFor(remote);

        public override async Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
        {
            var (address, wrappedListener) = await _wrapped.Listen().ConfigureAwait(false);
            // Akka's protocol layer hands its listener to the promise returned here; the wrapped transport gets one
            // that meters each inbound connection before passing it up.
            var upstream = new TaskCompletionSource<IAssociationEventListener>();
            _ = upstream.Task.ContinueWith(listener =>
            {
                if (listener.IsCompletedSuccessfully) wrappedListener.TrySetResult(new MeteringAssociationListener(listener.Result, _traffic));
                else if (listener.Exception is { } error) wrappedListener.TrySetException(error.InnerExceptions);
                else wrappedListener.TrySetCanceled();
            }, TaskContinuationOptions.ExecuteSynchronously);
            return (address, upstream);
        }

        public override async Task<AssociationHandle> Associate(Address remoteAddress)
        {
            var handle = await _wrapped.Associate(remoteAddress).ConfigureAwait(false);
            return new MeteredHandle(handle, _traffic.Open(ConnectionMeter.PeerName(handle.RemoteAddress)));
        }

        public override Task<bool> ManagementCommand(object message) => _wrapped.ManagementCommand(message);

        public override Task<bool> Shutdown() => _wrapped.Shutdown();
    }

    private sealed class MeteringAssociationListener(IAssociationEventListener upstream, RemoteTraffic traffic) : IAssociationEventListener
    {
        public void Notify(IAssociationEvent ev) => upstream.Notify(ev is InboundAssociation inbound
            ? new InboundAssociation(new MeteredHandle(inbound.Association, traffic.Open(ConnectionMeter.PeerName(inbound.Association.RemoteAddress))))
            : ev);
    }

    /// <summary>One connection: counts what Akka writes through it and, once Akka listens, what it reads.</summary>
    private sealed class MeteredHandle : AssociationHandle
    {
        private readonly AssociationHandle _wrapped;
        private readonly ConnectionMeter _meter;

        public MeteredHandle(AssociationHandle wrapped, ConnectionMeter meter) : base(wrapped.LocalAddress, wrapped.RemoteAddress)
        {
            _wrapped = wrapped;
            _meter = meter;
            ReadHandlerSource.Task.ContinueWith(listener =>
                    wrapped.ReadHandlerSource.TrySetResult(new MeteringHandleListener(listener.Result, meter)),
                TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion);
        }

        public override bool Write(ByteString payload)
        {
            // A refused write (the channel is not writable) is retried by Akka later and counted then.
            if (!_wrapped.Write(payload)) return false;
            _meter.Sent(payload.Span);
            return true;
        }

        // Akka calls Disassociate(reason, log), which logs the reason on this handle and then calls this overload, the
        // one a transport implements; the wrapped handle is closed the same way, without logging the reason twice.
        [Obsolete("Akka's own overload, called through Disassociate(reason, log)")]
        public override void Disassociate()
        {
            _meter.Close();
#pragma warning disable CS0618
            _wrapped.Disassociate();
#pragma warning restore CS0618
        }
    }

    private sealed class MeteringHandleListener(IHandleEventListener upstream, ConnectionMeter meter) : IHandleEventListener
    {
        public void Notify(IHandleEvent ev)
        {
            switch (ev)
            {
                case InboundPayload payload:
                    meter.Received(payload.Payload.Span);
                    break;
                case Disassociated:
                    meter.Close();
                    break;
            }
            upstream.Notify(ev);
        }
    }
}
