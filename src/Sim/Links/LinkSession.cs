using CoPriv.Network;
using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Sim.Reports;

namespace CoPriv.Sim.Links;

/// <summary>
/// Both ends of one modelled link for one session, held by the simulator that plays both parties in this process.
/// The parties' actor sessions run their inference steps on these ends instead of the actor channel: the link model
/// books every message of both directions on one queue per direction and stamps it with its arrival, which needs
/// both ends in one place. The actors still run the sessions (layer actors, supervision, failure on both sides).
/// </summary>
public abstract class LinkSession
{
    protected LinkSession(LinkModel link)
    {
        Link = link;
        Chain = new CausalChain(link);
    }

    public LinkModel Link { get; }

    public abstract NetworkMode Mode { get; }

    /// <summary>The longest causal chain of the session's messages, whose link bound the latency cannot beat.</summary>
    public CausalChain Chain { get; }

    /// <summary>The end of <paramref name="role"/>, its messages recorded in <see cref="Chain"/>.</summary>
    public IChannel ChannelOf(PartyRole role) => Chain.Wrap(EndOf(role));

    /// <summary>
    /// Wraps one step of <paramref name="role"/> on the step's thread; a named <paramref name="step"/> (the layer) is
    /// marked where it begins on the run's timeline.
    /// </summary>
    public IDisposable AroundStep(PartyRole role, string? step = null)
    {
        Chain.BeginStep(role);
        return BeginStep(role, step);
    }

    protected abstract IChannel EndOf(PartyRole role);

    protected abstract IDisposable BeginStep(PartyRole role, string? step);

    /// <summary>The direction <paramref name="sender"/> sends on: bytes and messages carried, and until when it is busy.</summary>
    public abstract LinkDirection DirectionFrom(PartyRole sender);

    /// <summary>Where <paramref name="role"/> is in time: its simulated time, or the real time since the session's first step.</summary>
    public abstract double SecondsOf(PartyRole role);

    /// <summary>
    /// Holds <paramref name="role"/> until <paramref name="seconds"/> before its next step (in virtual time; in real time
    /// the party has waited by itself).
    /// </summary>
    public virtual void HoldUntil(PartyRole role, double seconds) { }

    /// <summary>Now on the link's clock when it runs in real time (emulation); null in virtual time, where "now" differs per party.</summary>
    public virtual double? NowSeconds => null;

    /// <summary>End-to-end latency of everything run so far: simulated, or measured in real time when emulating.</summary>
    public abstract TimeSpan Latency { get; }

    /// <summary>A party's compute time (thread CPU time between its channel operations, as the clock's timer measures it).</summary>
    public abstract TimeSpan? ComputeOf(PartyRole role);

    /// <summary>The real time a party's actors took between its steps, booked on its clock (null when emulating).</summary>
    public virtual TimeSpan? OverheadOf(PartyRole role) => null;

    /// <summary>
    /// What each party did over the run on its virtual clock (compute, sending, waiting, where its steps began), cut
    /// at the run's end; null when the run is emulated, whose parties keep no timeline in real time.
    /// </summary>
    public virtual RunTimeline? Timeline() => null;

    /// <summary>How late the emulator handed messages over (null in a simulation; see <c>EmulatedLink.TotalLateness</c>).</summary>
    public virtual TimeSpan? Lateness => null;

    public static LinkSession Create(NetworkMode mode, LinkModel link, ComputeTimer timer = ComputeTimer.ThreadCpu) => mode switch
    {
        NetworkMode.Simulate => new SimulatedLinkSession(link, timer),
        NetworkMode.Emulate => new EmulatedLinkSession(link, timer),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown network mode"),
    };
}
