using CoPriv.Network.Simulation;
using CoPriv.Protocols.Channels;

namespace CoPriv.Network;

/// <summary>
/// The outcome of running both parties over a modelled link: each party's result and traffic, the end-to-end
/// latency (simulated, or measured in real time when emulating), the real time the run took, and in a simulation
/// each party's simulated, compute and waiting time; when emulating, how late the emulator handed over messages in
/// total (<see cref="Emulation.EmulatedLink.TotalLateness"/>: large values mean the machine did not keep up).
/// </summary>
public sealed record NetworkRunResult<TServer, TClient>(
    TServer Server,
    TClient Client,
    TrafficMeter ServerMeter,
    TrafficMeter ClientMeter,
    NetworkMode Mode,
    TimeSpan Latency,
    TimeSpan WallTime,
    PartyTiming? ServerTiming,
    PartyTiming? ClientTiming,
    TimeSpan? EmulationLateness = null);
