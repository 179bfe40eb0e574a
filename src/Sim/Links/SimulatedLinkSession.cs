using System.Diagnostics;
using CoPriv.Network;
using CoPriv.Network.Links;
using CoPriv.Network.Simulation;
using CoPriv.Network.Timeline;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Sim.Reports;

namespace CoPriv.Sim.Links;

/// <summary>
/// A session over a <see cref="SimulatedLink"/>: every step runs in a flow of its party's virtual clock, which starts at
/// the party's latest time, so the steps of a session add up in virtual time as they would on the link. The real time
/// the actors take between two steps of a party (the finished step reported, the next layer actor and its thread
/// started) is the party's too, as it is in a deployment: it is booked on the party's clock as overhead.
/// </summary>
public sealed class SimulatedLinkSession(LinkModel link, ComputeTimer timer) : LinkSession(link)
{
    private static readonly PartyRole[] Roles = [PartyRole.Server, PartyRole.Client];

    private readonly SimulatedLink _pair = SimulatedLink.CreatePair(link, timer);
    private readonly long[] _lastStepEnd = new long[2];
    private readonly List<LayerStart>[] _stepStarts = [[], []];

    public override NetworkMode Mode => NetworkMode.Simulate;

    protected override IChannel EndOf(PartyRole role) => End(role);

    protected override IDisposable BeginStep(PartyRole role, string? step)
    {
        var clock = End(role).Clock;
        long previousEnd = Interlocked.Exchange(ref _lastStepEnd[(int)role], 0);
        if (previousEnd != 0) clock.Elapse(Stopwatch.GetElapsedTime(previousEnd));
        if (step is not null)
        {
            // The step's flow starts at the party's latest time, which is this.
            var starts = _stepStarts[(int)role];
            lock (starts) starts.Add(new LayerStart(step, clock.NowSeconds));
        }
        return new StepScope(this, role, clock.BeginFlow());
    }

    public override TimeSpan Latency => _pair.EndToEndLatency;

    public override double SecondsOf(PartyRole role) => End(role).Clock.NowSeconds;

    public override void HoldUntil(PartyRole role, double seconds) => End(role).Clock.WaitUntil(seconds);

    public override LinkDirection DirectionFrom(PartyRole sender) => sender == PartyRole.Server ? _pair.ServerToClient : _pair.ClientToServer;

    public override TimeSpan? ComputeOf(PartyRole role) => End(role).Clock.Snapshot().ComputeTime;

    public override TimeSpan? OverheadOf(PartyRole role) => End(role).Clock.Snapshot().OverheadTime;

    public PartyTiming TimingOf(PartyRole role) => End(role).Clock.Snapshot();

    public override RunTimeline Timeline()
    {
        // Cut at the latency as reported (whole ticks), so that no segment ends after it.
        double end = Latency.TotalSeconds;
        double resolution = 0;
        var parties = new PartyTimeline[Roles.Length];
        foreach (var role in Roles)
        {
            var activity = End(role).Clock.Activity(RunTimeline.MaxSegmentsPerRow, end);
            var direction = DirectionFrom(role);
            var sending = direction.Transmissions(RunTimeline.MaxSegmentsPerRow, end);
            var starts = _stepStarts[(int)role];
            LayerStart[] layers;
            lock (starts) layers = starts.ToArray();
            resolution = Math.Max(resolution, Math.Max(sending.ResolutionSeconds,
                Math.Max(activity.Computing.ResolutionSeconds, activity.Waiting.ResolutionSeconds)));
            parties[(int)role] = new PartyTimeline(role.ToString().ToLowerInvariant(), direction.BytesCarried,
                activity.Computing.CoveredSeconds, sending.CoveredSeconds, activity.Waiting.CoveredSeconds,
                Segments(activity.Computing), Segments(sending), Segments(activity.Waiting), layers);
        }
        return new RunTimeline(resolution, parties);
    }

    private static TimelineSegment[] Segments(IntervalSet set) =>
        set.Intervals.Select(i => new TimelineSegment(i.Start, i.End, i.CoveredSeconds)).ToArray();

    private SimulatedChannel End(PartyRole role) => role == PartyRole.Server ? _pair.Server : _pair.Client;

    private sealed class StepScope(SimulatedLinkSession session, PartyRole role, IDisposable flow) : IDisposable
    {
        public void Dispose()
        {
            flow.Dispose();
            Volatile.Write(ref session._lastStepEnd[(int)role], Stopwatch.GetTimestamp());
        }
    }
}
