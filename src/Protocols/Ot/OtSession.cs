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
    /// <summary>Public-key base OTs per instance: the 128 columns of IKNP.</summary>
    public const int BaseOtsPerInstance = 128;

    /// <summary>
    /// The 256 base OTs of each instance's Kolesnikov–Kumaresan half are random OTs extended by the other
    /// instance's IKNP (the KK sender is the IKNP receiver there), 16 bytes each instead of a public-key OT.
    /// </summary>
    public const int ExtendedBaseOtsPerInstance = WalshHadamardCode.Length;

    /// <summary>
    /// The OT wire-format version, sent by each instance's sender as the last setup message: a peer built with another
    /// format fails at once, and the setup ends with the sender's flight, so the first call on an instance starts a
    /// new round at both ends.
    /// </summary>
    public const byte WireVersion = 1;

    /// <remarks>
    /// Takes the interfaces, and is internal, so that the privacy tests can put observers in front of an established
    /// session's instances (what a party receives from the OTs is part of its view); <see cref="Establish"/> is the
    /// only way protocols get a session.
    /// </remarks>
    internal OtSession(IOtSender sender, IOtReceiver receiver)
    {
        Sender = sender;
        Receiver = receiver;
    }

    public IOtSender Sender { get; }
    public IOtReceiver Receiver { get; }

    /// <summary>The stream on which <paramref name="sender"/> is the OT sender.</summary>
    public static string StreamName(PartyRole sender) => $"ot/{sender.ToString().ToLowerInvariant()}-sends";

    /// <summary>
    /// Sets up both instances (booked as <see cref="Phase.Setup"/> in scope ("session", "base-ot")): Chou–Orlandi
    /// base OTs for IKNP, then the KK base OTs by extension. The peer must call this at the same time. Each party
    /// sends <see cref="OtCosts.BaseOtSetupBytesPerParty"/> bytes in four flights.
    /// </summary>
    public static OtSession Establish(IChannel channel, AesPrg prg)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(prg);
        var sendStream = channel.Stream(StreamName(channel.Role));
        var receiveStream = channel.Stream(StreamName(channel.Role.Peer()));
        using var scope = channel.Meter.Enter("session", "base-ot");
        using var setup = channel.Meter.InPhase(Phase.Setup);

        // Both parties first publish their base-OT sender point, then answer the peer's: no one waits on a send.
        var secret = new byte[BaseOtsPerInstance];
        var chosenKeys = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        var keys0 = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        var keys1 = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        var baseSender = new ChouOrlandiBaseOt.Sender(prg);
        receiveStream.Send(baseSender.FirstMessage);
        var peerPoint = new byte[ChouOrlandiBaseOt.PointBytes];
        sendStream.Receive(peerPoint);
        prg.FillBits(secret);
        sendStream.Send(ChouOrlandiBaseOt.Receive(sendStream.Name, peerPoint, secret, prg, chosenKeys));
        var answers = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.PointBytes];
        receiveStream.Receive(answers);
        baseSender.Finish(receiveStream.Name, answers, keys0, keys1);
        var sender = new OtExtensionSender(sendStream, channel.Meter, new ExtensionSenderCore(secret, chosenKeys));
        var receiver = new OtExtensionReceiver(receiveStream, channel.Meter, new ExtensionReceiverCore(keys0, keys1), prg.Fork());

        // This party's KK sender gets its keys where it receives, its KK receiver where it sends.
        var kkSecret = new byte[ExtendedBaseOtsPerInstance];
        var kkChosenKeys = new byte[ExtendedBaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        var kkKeys0 = new byte[ExtendedBaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        var kkKeys1 = new byte[ExtendedBaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        receiver.ReceiveRandomKeys(kkSecret, kkChosenKeys);
        sender.SendRandomKeys(kkKeys0, kkKeys1);
        sender.InstallOneOfN(new ExtensionSenderCore(kkSecret, kkChosenKeys));
        receiver.InstallOneOfN(new ExtensionReceiverCore(kkKeys0, kkKeys1));

        sendStream.Send([WireVersion]);
        Span<byte> peerVersion = stackalloc byte[1];
        receiveStream.Receive(peerVersion);
        if (peerVersion[0] != WireVersion)
            throw new ProtocolException($"stream '{receiveStream.Name}': the peer speaks OT wire format {peerVersion[0]}, this party {WireVersion}");
        return new OtSession(sender, receiver);
    }
}
