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
    /// <summary>Base OTs per instance: 128 for IKNP, then 256 for Kolesnikov–Kumaresan.</summary>
    public const int IknpBaseOts = 128;
    public const int KkBaseOts = WalshHadamardCode.Length;
    public const int BaseOtsPerInstance = IknpBaseOts + KkBaseOts;

    private OtSession(OtExtensionSender sender, OtExtensionReceiver receiver)
    {
        Sender = sender;
        Receiver = receiver;
    }

    public IOtSender Sender { get; }
    public IOtReceiver Receiver { get; }

    /// <summary>The stream on which <paramref name="sender"/> is the OT sender.</summary>
    public static string StreamName(PartyRole sender) => $"ot/{sender.ToString().ToLowerInvariant()}-sends";

    /// <summary>
    /// Runs the base OTs of both instances (Chou–Orlandi, booked as <see cref="Phase.Setup"/> in scope
    /// ("session", "base-ot")); the peer must call this at the same time. Costs <see cref="OtCosts.BaseOtSetupBytesPerParty"/>
    /// bytes sent by each party, two flights each.
    /// </summary>
    public static OtSession Establish(IChannel channel, AesPrg prg)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(prg);
        var sendStream = channel.Stream(StreamName(channel.Role));
        var receiveStream = channel.Stream(StreamName(channel.Role.Peer()));
        var secret = new byte[BaseOtsPerInstance];
        var chosenKeys = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        var keys0 = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        var keys1 = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.KeyBytes];
        using (channel.Meter.Enter("session", "base-ot"))
        using (channel.Meter.InPhase(Phase.Setup))
        {
            // Both parties first publish their base-OT sender point, then answer the peer's: two flights each.
            var baseSender = new ChouOrlandiBaseOt.Sender(prg);
            receiveStream.Send(baseSender.FirstMessage);
            var peerPoint = new byte[ChouOrlandiBaseOt.PointBytes];
            sendStream.Receive(peerPoint);
            prg.FillBits(secret);
            sendStream.Send(ChouOrlandiBaseOt.Receive(sendStream.Name, peerPoint, secret, prg, chosenKeys));
            var answers = new byte[BaseOtsPerInstance * ChouOrlandiBaseOt.PointBytes];
            receiveStream.Receive(answers);
            baseSender.Finish(receiveStream.Name, answers, keys0, keys1);
        }
        const int split = IknpBaseOts * ChouOrlandiBaseOt.KeyBytes;
        var sender = new OtExtensionSender(sendStream, channel.Meter,
            new ExtensionSenderCore(secret.AsSpan(0, IknpBaseOts), chosenKeys.AsSpan(0, split)),
            new ExtensionSenderCore(secret.AsSpan(IknpBaseOts), chosenKeys.AsSpan(split)));
        var receiver = new OtExtensionReceiver(receiveStream, channel.Meter,
            new ExtensionReceiverCore(keys0.AsSpan(0, split), keys1.AsSpan(0, split)),
            new ExtensionReceiverCore(keys0.AsSpan(split), keys1.AsSpan(split)),
            prg.Fork());
        return new OtSession(sender, receiver);
    }
}
