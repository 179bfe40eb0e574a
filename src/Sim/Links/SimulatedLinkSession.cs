using CoPriv.Network;
using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Sim.Links;

/// <summary>
/// A session over a <see cref="SimulatedLink"/>: every step runs in a flow of its party's virtual clock, which starts at
/// the party's latest time, so the steps of a session add up in virtual time as they would on the link, and the gaps
/// the actors need to start the next step cost no virtual time.
/// </summary>
public sealed class SimulatedLinkSession(LinkModel link, ComputeTimer timer) : LinkSession(link)
{
    private readonly SimulatedLink _pair = SimulatedLink.CreatePair(link, timer);

    public override NetworkMode Mode => NetworkMode.Simulate;

    protected override IChannel EndOf(PartyRole role) => End(role);

    protected override IDisposable BeginStep(PartyRole role) => End(role).Clock.BeginFlow();

    public override TimeSpan Latency => _pair.EndToEndLatency;

    public override TimeSpan? ComputeOf(PartyRole role) => End(role).Clock.Snapshot().ComputeTime;

    public PartyTiming TimingOf(PartyRole role) => End(role).Clock.Snapshot();

    private SimulatedChannel End(PartyRole role) => role == PartyRole.Server ? _pair.Server : _pair.Client;
}
