using System.Collections.Concurrent;
using Akka.Actor;

namespace CoPriv.Actors.Inspection;

/// <summary>One direction of a modelled link as <c>copriv network</c> shows it.</summary>
public sealed record LinkDirectionView(string Direction, long BytesCarried, long MessagesCarried, long? BytesQueued);

/// <summary>A session's modelled link: its model (bandwidth, round trip), mode and the state of both directions.</summary>
public sealed record LinkView(
    string SessionId, string Link, string Mode, double? BandwidthBitsPerSecond, TimeSpan RoundTripTime,
    TimeSpan Latency, IReadOnlyList<LinkDirectionView> Directions);

/// <summary>
/// The modelled links of a simulation's live sessions, per ActorSystem: the simulator registers a view of each
/// session's link while the session runs, and <c>copriv network</c> reads them. Empty on a deployed node, whose
/// data plane is a real connection (<c>remote show</c>).
/// </summary>
public sealed class InspectedLinks : IExtension
{
    private readonly ConcurrentDictionary<string, Func<LinkView>> _views = new(StringComparer.Ordinal);

    public static InspectedLinks For(ActorSystem system) => system.WithExtension<InspectedLinks, InspectedLinksProvider>();

    /// <summary>Shows the link of <paramref name="sessionId"/> until the returned handle is disposed.</summary>
    public IDisposable Register(string sessionId, Func<LinkView> view)
    {
        _views[sessionId] = view;
        return new Registration(this, sessionId);
    }

    public IReadOnlyList<LinkView> Current() => _views.Values.Select(v => v()).OrderBy(v => v.SessionId, StringComparer.Ordinal).ToArray();

    private sealed class Registration(InspectedLinks links, string sessionId) : IDisposable
    {
        public void Dispose() => links._views.TryRemove(sessionId, out _);
    }
}

public sealed class InspectedLinksProvider : ExtensionIdProvider<InspectedLinks>
{
    public override InspectedLinks CreateExtension(ExtendedActorSystem system) => new();
}
