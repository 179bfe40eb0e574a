using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Core;

/// <summary>
/// Everything one party brings to a session: its role, its channel to the peer (with the traffic meter), its
/// private randomness and the session's OT instances in both directions. Created once per session by both parties
/// at the same time (the base OTs run then); disposing it closes the channel.
/// </summary>
public sealed class PartyContext : IDisposable
{
    /// <remarks>
    /// Internal rather than private so that the privacy tests can rebuild a context around an established session with
    /// an observing channel, observing OT endpoints and fresh randomness per run; protocols always come through
    /// <see cref="Create"/>.
    /// </remarks>
    internal PartyContext(IChannel channel, AesPrg prg, OtSession ot)
    {
        Channel = channel;
        Prg = prg;
        Ot = ot;
    }

    public PartyRole Role => Channel.Role;
    public IChannel Channel { get; }

    /// <summary>This party's meter (the channel's).</summary>
    public TrafficMeter Meter => Channel.Meter;

    /// <summary>This party's private randomness; not thread-safe (fork it for other threads).</summary>
    public AesPrg Prg { get; }

    public OtSession Ot { get; }

    /// <summary>What each OT call of this session costs: the figures of the backend in use.</summary>
    public OtBackendCosts OtCosts => Ot.Costs;

    /// <summary>
    /// Runs the one-time base OTs for both OT directions (booked as <see cref="Phase.Setup"/>, scope
    /// "session"/"base-ot"). The peer must call Create at the same time, with the same OT backend. The PRG defaults
    /// to OS randomness, the backend to <see cref="OtBackend.Iknp"/>.
    /// </summary>
    public static PartyContext Create(IChannel channel, AesPrg? prg = null, OtBackend? otBackend = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        prg ??= AesPrg.FromOsRandom();
        var checking = new DeferredCheckChannel(channel);
        var ot = OtSession.Establish(checking, prg.Fork(), otBackend ?? OtBackend.Iknp);
        return new PartyContext(checking, prg, ot);
    }

    /// <summary>
    /// Receives and checks the peer's half of a parameter handshake that is still pending (a call's handshake is
    /// checked just before the party's next receive; see <c>DeferredCheckChannel</c>). A party calls it where a run of
    /// calls ends, so no handshake stays unread.
    /// </summary>
    public void CompletePendingChecks() => (Channel as DeferredCheckChannel)?.RunPendingCheck();

    public void Dispose() => Channel.Dispose();
}
