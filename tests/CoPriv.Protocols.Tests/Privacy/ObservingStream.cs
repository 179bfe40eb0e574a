using CoPriv.Protocols.Channels;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// A message stream that copies every message this party receives into the view of the run in progress (none
/// between runs, e.g. during the base OTs). The OT instances keep the streams they opened at session setup, so the
/// observer sits under the whole session and is pointed at each run's view in turn.
/// </summary>
internal sealed class ObservingStream(IMessageStream inner, CurrentView current) : IMessageStream
{
    public string Name => inner.Name;

    public void Send(ReadOnlySpan<byte> message) => inner.Send(message);

    public void Receive(Span<byte> message)
    {
        inner.Receive(message);
        current.View?.AddBytes($"stream {Name}", message);
    }
}

/// <summary>The view that one party's observers record into: that of the run in progress.</summary>
internal sealed class CurrentView
{
    public ReceivedView? View { get; set; }
}
