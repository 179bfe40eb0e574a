using CoPriv.Network.Timeline;

namespace CoPriv.Network.Simulation;

/// <summary>
/// When one party computed and when it waited for messages, on its virtual clock (<see cref="VirtualClock.Activity"/>):
/// each the union over its concurrent flows. <see cref="IntervalSet.CoveredSeconds"/> of <see cref="Computing"/> is at
/// most the party's <see cref="PartyTiming.ComputeTime"/> (a sum over flows), and equal to it when no two flows computed at
/// the same virtual time; likewise <see cref="Waiting"/> and <see cref="PartyTiming.WaitTime"/>.
/// </summary>
public sealed record PartyActivity(IntervalSet Computing, IntervalSet Waiting);
