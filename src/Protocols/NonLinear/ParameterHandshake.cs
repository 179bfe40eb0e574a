using System.Buffers.Binary;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Channels;

namespace CoPriv.Protocols.NonLinear;

/// <summary>The non-linear protocols, as named in the parameter handshake.</summary>
internal enum NonLinearProtocolId : byte
{
    Millionaire = 1,
    Msb = 2,
    Drelu = 3,
    Relu = 4,
    BooleanToArithmetic = 5,
    Multiplexer = 6,
    BitAnd = 7,
    FaithfulTruncation = 8,
    TruncateAndReduce = 9,
    PublicDivision = 10,
    MaxPool = 11,
    ArgMax = 12,
    TripleFill = 13,
}

/// <summary>
/// The first message of every public non-linear protocol call: each party sends the parameters it is about to run
/// with (protocol, ring bits, where its bit triples come from, two protocol-specific parameters, batch size) and
/// checks the peer's copy, so that a
/// mismatch stops both parties with a clear <see cref="ProtocolException"/> instead of producing wrong shares or an
/// obscure length error deep inside an OT. Both parties send before they receive, so it costs one flight each and
/// no extra waiting beyond one one-way delay.
/// </summary>
internal static class ParameterHandshake
{
    /// <summary>The stream that carries the handshake, AND-gate openings and reveals of the non-linear protocols.</summary>
    public const string StreamName = "nonlinear";

    /// <summary>
    /// Bytes each party sends: protocol id, ring bits, triple source, a zero byte, two parameters (4 bytes each) and
    /// the batch size (4).
    /// </summary>
    public const int Bytes = 16;

    /// <summary>16 bytes each way, one flight per party.</summary>
    public static CommunicationCost Cost => CommunicationCost.Online(Bytes, Bytes, 2);

    public static void Exchange(PartyContext ctx, NonLinearProtocolId protocol, int ringBits,
        (string Name, int Value) first, (string Name, int Value) second, int batch,
        TripleSource triples = TripleSource.Inline, bool receivesLater = true)
    {
        Span<byte> mine = stackalloc byte[Bytes];
        mine[0] = (byte)protocol;
        mine[1] = checked((byte)ringBits);
        mine[2] = (byte)triples;
        BinaryPrimitives.WriteInt32LittleEndian(mine[4..], first.Value);
        BinaryPrimitives.WriteInt32LittleEndian(mine[8..], second.Value);
        BinaryPrimitives.WriteInt32LittleEndian(mine[12..], batch);

        // A call that receives nothing afterwards (an empty batch, a window of one) checks at once: it has no flight to save.
        if (ctx.Channel is DeferredCheckChannel deferred && batch > 0 && receivesLater)
        {
            // The peer's half is read and checked just before this party's next receive: the call's first messages
            // leave in the same flight as its half, and nothing the peer sent is read before the check.
            var expected = mine.ToArray();
            var raw = deferred.Inner.Stream(StreamName);
            raw.Send(mine);
            deferred.Defer(() =>
            {
                Span<byte> peerHalf = stackalloc byte[Bytes];
                raw.Receive(peerHalf);
                Check(ctx, protocol, first, second, batch, triples, expected, peerHalf);
            });
            return;
        }
        var stream = ctx.Channel.Stream(StreamName);
        stream.Send(mine);
        Span<byte> theirs = stackalloc byte[Bytes];
        stream.Receive(theirs);
        Check(ctx, protocol, first, second, batch, triples, mine, theirs);
    }

    private static void Check(PartyContext ctx, NonLinearProtocolId protocol, (string Name, int Value) first,
        (string Name, int Value) second, int batch, TripleSource triples, ReadOnlySpan<byte> mine, ReadOnlySpan<byte> theirs)
    {
        string me = ctx.Role.ToString().ToLowerInvariant(), peer = ctx.Role.Peer().ToString().ToLowerInvariant();
        if (theirs[0] != mine[0])
            throw new ProtocolException(
                $"{Describe(protocol)}: the {peer} runs {Describe((NonLinearProtocolId)theirs[0])} instead; both parties must call the same protocol");
        if (theirs[1] != mine[1])
            throw new ProtocolException(
                $"{Describe(protocol)}: ring mismatch, the {me} uses ℓ = {mine[1]} bits but the {peer} uses ℓ = {theirs[1]}");
        if (theirs[2] != mine[2])
            throw new ProtocolException(
                $"{Describe(protocol)}: the {me} {Describe(triples)} but the {peer} {Describe((TripleSource)theirs[2])}; " +
                "both parties must fill their pre-processing triple stores alike");
        int peerFirst = BinaryPrimitives.ReadInt32LittleEndian(theirs[4..]);
        if (peerFirst != first.Value)
            throw new ProtocolException(
                $"{Describe(protocol)}: parameter mismatch, the {me} uses {first.Name} = {first.Value} but the {peer} uses {peerFirst}");
        int peerSecond = BinaryPrimitives.ReadInt32LittleEndian(theirs[8..]);
        if (peerSecond != second.Value)
            throw new ProtocolException(
                $"{Describe(protocol)}: parameter mismatch, the {me} uses {second.Name} = {second.Value} but the {peer} uses {peerSecond}");
        int peerBatch = BinaryPrimitives.ReadInt32LittleEndian(theirs[12..]);
        if (peerBatch != batch)
            throw new ProtocolException(
                $"{Describe(protocol)}: batch size mismatch, the {me} has {batch} elements but the {peer} has {peerBatch}");
    }

    private static string Describe(TripleSource source) => source switch
    {
        TripleSource.Inline => "makes its bit triples in the call",
        TripleSource.Store => "takes its bit triples from its pre-processing store",
        _ => $"takes its bit triples from an unknown source #{(byte)source}",
    };

    private static string Describe(NonLinearProtocolId id) => id switch
    {
        NonLinearProtocolId.Millionaire => "millionaires' comparison",
        NonLinearProtocolId.Msb => "MSB",
        NonLinearProtocolId.Drelu => "DReLU",
        NonLinearProtocolId.Relu => "ReLU",
        NonLinearProtocolId.BooleanToArithmetic => "boolean-to-arithmetic conversion",
        NonLinearProtocolId.Multiplexer => "multiplexer",
        NonLinearProtocolId.BitAnd => "AND",
        NonLinearProtocolId.FaithfulTruncation => "faithful truncation",
        NonLinearProtocolId.TruncateAndReduce => "truncate-and-reduce",
        NonLinearProtocolId.PublicDivision => "division by a public constant",
        NonLinearProtocolId.MaxPool => "max pooling",
        NonLinearProtocolId.ArgMax => "argmax",
        NonLinearProtocolId.TripleFill => "bit-triple pre-processing",
        _ => $"unknown protocol #{(byte)id}",
    };
}
