namespace CoPriv.Network.Simulation;

/// <summary>
/// One party's time in a simulated run: its latest simulated time, the compute measured between its channel
/// operations (summed over its flows, so concurrent flows may sum to more than the simulated time), and the time its
/// flows spent waiting for messages to arrive over the modelled link.
/// </summary>
public sealed record PartyTiming(TimeSpan SimulatedTime, TimeSpan ComputeTime, TimeSpan WaitTime, long Operations);
