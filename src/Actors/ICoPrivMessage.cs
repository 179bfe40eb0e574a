namespace CoPriv.Actors;

/// <summary>
/// Marks the messages of the actor runtime that may cross machines; the HOCON binds this interface to the Hyperion
/// adapter (<see cref="Serialization.HyperionMessageSerializer"/>). Chunk and credit messages of the channel are bound
/// to the raw <see cref="Serialization.PayloadSerializer"/> instead.
/// </summary>
public interface ICoPrivMessage;
