namespace CoPriv.Network;

/// <summary>How a session runs over a modelled link.</summary>
public enum NetworkMode
{
    /// <summary>Discrete-event, virtual time: messages move at once and the link's delays are computed, not waited.</summary>
    Simulate,

    /// <summary>Real time: every message is held back until it would have arrived over the link.</summary>
    Emulate,
}
