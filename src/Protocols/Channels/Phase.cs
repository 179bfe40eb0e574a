namespace CoPriv.Protocols.Channels;

/// <summary>
/// When traffic happens. Setup is the one-time base-OT work of a session; pre-processing is input-independent work
/// that can run before the client's input exists; online is everything that needs the input.
/// </summary>
public enum Phase
{
    Setup,
    Preprocessing,
    Online,
}
