using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// IKNP: Chou–Orlandi base OTs on P-256 (128 per instance, the columns of the extension matrix), then every COT
/// costs the receiver one 128-bit row. Both parties set up both instances at once; the base-OT sender of an instance
/// (its OT receiver) learns nothing about the secret s = Δ, the base-OT receiver (its OT sender) only one key per column.
/// </summary>
internal sealed class IknpCotBackend : ICotBackend
{
    /// <summary>Public-key base OTs per instance: the 128 columns of IKNP.</summary>
    public const int BaseOts = 128;

    /// <summary>The receiver's row u_i per OT.</summary>
    public const int RowBytes = 16;

    public static readonly IknpCotBackend Instance = new();

    private IknpCotBackend()
    {
    }

    public byte WireVersion => 1;

    /// <summary>
    /// Setup per party: its base-OT sender point, 128 answer points, the rows of the 256 extended OTs for the peer's
    /// 1-out-of-N keys and the one-byte wire version, in four flights.
    /// </summary>
    public OtBackendCosts Costs { get; } = new(
        TwoMessageRequestBits: 8 * RowBytes,
        OneOfNRequestBits: 16 * RowBytes,
        OneOfNFromCots: false,
        FreeRandomChoices: false,
        SetupBytesPerParty: ChouOrlandiBaseOt.PointBytes * (1L + BaseOts) + RowBytes * OtSession.ExtendedBaseOtsPerInstance + 1,
        SetupRounds: 8);

    public (ICotSender Sender, ICotReceiver Receiver) Establish(IChannel channel, IMessageStream sendStream, IMessageStream receiveStream, AesPrg prg)
    {
        // Both parties first publish their base-OT sender point, then answer the peer's: no one waits on a send.
        var secret = new byte[BaseOts];
        var chosenKeys = new byte[BaseOts * ChouOrlandiBaseOt.KeyBytes];
        var keys0 = new byte[BaseOts * ChouOrlandiBaseOt.KeyBytes];
        var keys1 = new byte[BaseOts * ChouOrlandiBaseOt.KeyBytes];
        var baseSender = new ChouOrlandiBaseOt.Sender(prg);
        receiveStream.Send(baseSender.FirstMessage);
        var peerPoint = new byte[ChouOrlandiBaseOt.PointBytes];
        sendStream.Receive(peerPoint);
        prg.FillBits(secret);
        // Δ's lowest bit is 1 (a 127-bit Δ, as emp-ot's): Ferret, bootstrapped from these COTs, reads each receiver's
        // choice off its row's lowest bit.
        secret[0] = 1;
        sendStream.Send(ChouOrlandiBaseOt.Receive(sendStream.Name, peerPoint, secret, prg, chosenKeys));
        var answers = new byte[BaseOts * ChouOrlandiBaseOt.PointBytes];
        receiveStream.Receive(answers);
        baseSender.Finish(receiveStream.Name, answers, keys0, keys1);
        return (new ExtensionSenderCore(secret, chosenKeys), new ExtensionReceiverCore(keys0, keys1));
    }
}
