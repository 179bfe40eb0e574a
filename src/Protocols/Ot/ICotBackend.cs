using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// A correlated-OT backend: how a session sets up the two-message COT that <see cref="CotDerivedOtSender"/> and
/// <see cref="CotDerivedOtReceiver"/> derive every OT flavour from, and what it costs. Both parties run
/// <see cref="Establish"/> at the same time, inside <see cref="OtSession.Establish"/>; each learns only its own
/// ends (the sender Δ and its rows, the receiver its rows for its choices).
/// </summary>
internal interface ICotBackend
{
    /// <summary>
    /// The OT wire-format version, sent by each instance's sender as the last setup message: a peer built with
    /// another format (or another backend) fails at once instead of exchanging garbage.
    /// </summary>
    byte WireVersion { get; }

    /// <summary>Per-OT and setup figures the cost functions read (equal to the meters byte for byte).</summary>
    OtBackendCosts Costs { get; }

    /// <summary>
    /// Sets up both directions: <paramref name="sendStream"/> is the instance in which this party sends the OTs,
    /// <paramref name="receiveStream"/> the one in which it receives; a backend may open more streams of
    /// <paramref name="channel"/> and book traffic to its meter. Runs inside the caller's setup phase and scope.
    /// </summary>
    (ICotSender Sender, ICotReceiver Receiver) Establish(IChannel channel, IMessageStream sendStream, IMessageStream receiveStream, AesPrg prg);
}
