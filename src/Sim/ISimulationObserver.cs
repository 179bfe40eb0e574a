using CoPriv.Protocols.Core;
using CoPriv.Sim.Reports;

namespace CoPriv.Sim;

/// <summary>Follows a simulation as it runs (the CLI draws progress bars from it). Called from the parties' step threads.</summary>
public interface ISimulationObserver
{
    /// <summary>
    /// A session is about to run <paramref name="steps"/> steps ("setup" and one per layer). When it is emulated,
    /// <paramref name="realTimeFloor"/> is the least real time it can take: the busier direction's predicted bytes over
    /// the link's bandwidth (null in a simulation, which does not sleep).
    /// </summary>
    void SessionStarting(string protocol, string network, IReadOnlyList<string> steps, TimeSpan? realTimeFloor);

    /// <summary>A party finished step <paramref name="position"/> (1-based) of a session.</summary>
    void StepFinished(string protocol, string network, PartyRole role, int position, string layerName);

    /// <summary>
    /// The client's current step and its bytes so far against the prediction: when a step starts and about every
    /// <see cref="SimulationRequest.ProgressInterval"/> while it runs (from a timer thread).
    /// </summary>
    void StepProgressed(string protocol, string network, StepProgress progress);

    void SessionFinished(ProtocolRunReport report);
}
