namespace CoPriv.Actors.Channel;

/// <summary>
/// The receiver's grant back to the sender: <see cref="Bytes"/> bytes of <see cref="Stream"/> have arrived and may be
/// replaced by new ones. A sender never has more than the window of unacknowledged bytes outstanding per stream.
/// </summary>
public sealed record PayloadCredit(string Stream, int Bytes);
