namespace CoPriv.Network.Links;

/// <summary>
/// What a network link does to one message in one direction: it occupies the link for its transmission time
/// (serialisation, bytes / bandwidth) and then takes the propagation delay (one-way latency) to reach the peer.
/// Both directions are independent and alike. Queueing is not part of the model itself: <see cref="LinkDirection"/>
/// applies it, serving messages first come, first served.
/// </summary>
public interface ILinkModel
{
    /// <summary>A short name for reports, e.g. "lan", "wan" or "custom".</summary>
    string Name { get; }

    Bandwidth Bandwidth { get; }

    TimeSpan OneWayLatency { get; }

    /// <summary>Seconds a message of <paramref name="bytes"/> bytes occupies the link.</summary>
    double TransmissionSeconds(long bytes);

    /// <summary>Seconds from the end of a message's transmission to its arrival at the peer.</summary>
    double PropagationSeconds { get; }

    /// <summary>Mean of the exponential extra delay each message takes on top of the propagation (0: none).</summary>
    double MeanJitterSeconds => 0;
}
