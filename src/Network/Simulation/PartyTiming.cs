namespace CoPriv.Network.Simulation;

/// <summary>
/// One party's time in a simulated run: its latest simulated time, the compute measured between its channel
/// operations (summed over its flows, so concurrent flows may sum to more than the simulated time), the time its
/// flows spent waiting for messages to arrive over the modelled link, and the time booked outside its flows with
/// <see cref="VirtualClock.Elapse"/> (a runtime's hand-overs between pieces of work).
/// </summary>
public sealed record PartyTiming(TimeSpan SimulatedTime, TimeSpan ComputeTime, TimeSpan WaitTime, long Operations, TimeSpan OverheadTime);
