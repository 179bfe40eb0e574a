using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Both OT directions of a session, set up once: <see cref="Sender"/> (this party sends, on stream
/// "ot/&lt;this role&gt;-sends") and <see cref="Receiver"/> (the peer sends, on "ot/&lt;peer role&gt;-sends"). The two
/// instances are independent, so a protocol may drive them at once from two threads (one thread each).
/// A protocol in which the server is the OT sender calls Sender on the server and Receiver on the client.
/// </summary>
public sealed class OtSession
{
    /// <summary>
    /// The 256 base OTs of each instance's Kolesnikov–Kumaresan half are random OTs extended by the other
    /// instance's backend (the KK sender is the COT receiver there), one two-message row each instead of a
    /// public-key OT, so every backend brings 1-out-of-N with it.
    /// </summary>
    public const int ExtendedBaseOtsPerInstance = WalshHadamardCode.Length;

    /// <remarks>
    /// Takes the interfaces, and is internal, so that the privacy tests can put observers in front of an established
    /// session's instances (what a party receives from the OTs is part of its view); <see cref="Establish"/> is the
    /// only way protocols get a session.
    /// </remarks>
    internal OtSession(OtBackend backend, IOtSender sender, IOtReceiver receiver)
    {
        Backend = backend;
        Sender = sender;
        Receiver = receiver;
    }

    public IOtSender Sender { get; }
    public IOtReceiver Receiver { get; }

    /// <summary>The backend both instances derive their OTs from.</summary>
    public OtBackend Backend { get; }

    /// <summary>What every OT call of this session costs (the backend's figures).</summary>
    public OtBackendCosts Costs => Backend.Costs;

    /// <summary>
    /// The most COTs <see cref="PrepareCots"/> makes ahead per instance: 2^25, about 0.5 GiB of 128-bit rows per
    /// Ferret generator on top of an iteration's own outputs.
    /// </summary>
    public const int MaxPreparedCots = 1 << 25;

    /// <summary>
    /// Makes ahead the random COTs of the next OTs of both instances: <paramref name="asSender"/> where this party
    /// sends, <paramref name="asReceiver"/> where it receives (see <see cref="IOtSender.PrepareCots"/>). Both parties
    /// call it at the same point, each with its own view: this party's asSender is the peer's asReceiver. The sending
    /// instance goes first: a Ferret sender never waits for its receiver, so neither party waits on the other.
    /// </summary>
    public void PrepareCots(int asSender, int asReceiver)
    {
        Sender.PrepareCots(asSender);
        Receiver.PrepareCots(asReceiver);
    }

    /// <summary>The stream on which <paramref name="sender"/> is the OT sender.</summary>
    public static string StreamName(PartyRole sender) => $"ot/{sender.ToString().ToLowerInvariant()}-sends";

    /// <summary>
    /// Sets up both instances over <paramref name="backend"/> (booked as <see cref="Phase.Setup"/> in scope
    /// ("session", "base-ot")): the backend's COT (IKNP: Chou–Orlandi base OTs; Ferret: those, its bootstrap and first
    /// iterations), then, unless the backend makes 1-out-of-N OT from its COTs, the KK base OTs by extension.
    /// The peer must call this at the same time with the same backend. Each party sends
    /// <see cref="OtBackendCosts.SetupBytesPerParty"/> bytes of <paramref name="backend"/>'s costs.
    /// </summary>
    public static OtSession Establish(IChannel channel, AesPrg prg, OtBackend backend)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(prg);
        ArgumentNullException.ThrowIfNull(backend);
        var sendStream = channel.Stream(StreamName(channel.Role));
        var receiveStream = channel.Stream(StreamName(channel.Role.Peer()));
        using var scope = channel.Meter.Enter("session", "base-ot");
        using var setup = channel.Meter.InPhase(Phase.Setup);

        var cot = backend.Cot.Establish(channel, sendStream, receiveStream, prg);
        bool oneOfNFromCots = backend.Costs.OneOfNFromCots;
        var sender = new CotDerivedOtSender(sendStream, channel.Meter, cot.Sender, oneOfNFromCots);
        var receiver = new CotDerivedOtReceiver(receiveStream, channel.Meter, cot.Receiver, prg.Fork(), oneOfNFromCots);

        if (!oneOfNFromCots)
        {
            // This party's KK sender gets its keys where it receives, its KK receiver where it sends.
            var kkSecret = new byte[ExtendedBaseOtsPerInstance];
            var kkChosenKeys = new byte[ExtendedBaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
            var kkKeys0 = new byte[ExtendedBaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
            var kkKeys1 = new byte[ExtendedBaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
            receiver.ReceiveRandomKeys(kkSecret, kkChosenKeys);
            sender.SendRandomKeys(kkKeys0, kkKeys1);
            sender.InstallOneOfN(new ExtensionSenderCore(kkSecret, kkChosenKeys));
            receiver.InstallOneOfN(new ExtensionReceiverCore(kkKeys0, kkKeys1));
        }

        // Last, so that setup ends with the sender's flight and the first call on an instance starts a new round.
        byte version = backend.Cot.WireVersion;
        sendStream.Send([version]);
        Span<byte> peerVersion = stackalloc byte[1];
        receiveStream.Receive(peerVersion);
        if (peerVersion[0] != version)
            throw new ProtocolException($"stream '{receiveStream.Name}': the peer speaks OT wire format {peerVersion[0]}, this party {version} ({backend.Name})");
        return new OtSession(backend, sender, receiver);
    }
}
