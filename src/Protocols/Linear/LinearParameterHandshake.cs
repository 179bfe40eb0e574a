using System.Buffers.Binary;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>The linear protocols, as named in the parameter handshake.</summary>
internal enum LinearProtocolId : byte
{
    Im2colConvolution = 1,
    WinogradF2x2 = 2,
    WinogradF4x4 = 3,
    PolyphaseConvolution = 4,
    FullyConnected = 5,
    BatchNorm = 6,
    MatMul = 7,
}

/// <summary>
/// What a party is about to run a linear layer (or a bare OT matrix product) with: the algorithm, the fixed-point
/// format, the extra scale bits of Winograd F(4×4,3×3), the orientation of its products (every product of a layer
/// has the same one), the weight bit-width B of the server's operand (the server's OT choices when it receives) and
/// the named dimensions of its shape.
/// </summary>
internal sealed record LinearLayerParameters(LinearProtocolId Protocol, int RingBits, int Scale, int ExtraScaleBits,
    OtOrientation Orientation, int WeightBits, IReadOnlyList<(string Name, int Value)> Dimensions)
{
    public static LinearLayerParameters Convolution(LinearProtocolId protocol, ConvShape shape, LinearLayerOptions options,
        OtOrientation orientation, int extraScaleBits = 0) =>
        new(protocol, options.Ring.Bits, options.Scale, extraScaleBits, orientation, options.ServerOperandBits,
        [
            ("input channels C", shape.C), ("output channels K", shape.K), ("input height H", shape.H),
            ("input width W", shape.W), ("kernel height", shape.KernelH), ("kernel width", shape.KernelW),
            ("stride", shape.Stride), ("padding", shape.Padding), ("groups", shape.Groups),
        ]);

    public static LinearLayerParameters MatMul(LinearProtocolId protocol, MatMulShape shape, int ringBits, int scale,
        OtOrientation orientation, int weightBits) =>
        new(protocol, ringBits, scale, 0, orientation, weightBits, [("D1", shape.D1), ("D2", shape.D2), ("D3", shape.D3)]);
}

/// <summary>
/// The first message of every linear layer and of every bare <see cref="OtMatMul"/> call, before its first OT: each
/// party sends the parameters it is about to run with (<see cref="LinearLayerParameters"/>) and checks the peer's
/// copy, so that a disagreement on algorithm, ring, scale, weight bit-width, shape or orientation stops both parties with a
/// <see cref="ProtocolException"/> naming the parameter and both values, instead of producing wrong shares or an
/// obscure length error deep inside an OT. Both parties send before they receive: one flight each, no waiting
/// beyond one one-way delay. A layer books it to pre-processing, where its OTs run, so that the cost of the phase in
/// which a mismatch would surface includes it (setup is the one-time base OTs, which no layer's cost contains).
/// The parameters are public (the server's model architecture is known to the client), so the exchange reveals
/// nothing new.
/// </summary>
internal static class LinearParameterHandshake
{
    /// <summary>The stream every linear handshake uses, whatever the layer's name (so a name mismatch cannot hang it).</summary>
    public const string StreamName = "linear";

    /// <summary>Dimensions a message has room for (a convolution's nine).</summary>
    private const int MaxDimensions = 9;

    /// <summary>
    /// Bytes each party sends: protocol id, ring bits, scale, extra scale bits, orientation, dimension count, weight
    /// bit-width B, a zero byte, then nine dimensions as little-endian int32 (unused ones zero).
    /// </summary>
    public const int Bytes = 8 + 4 * MaxDimensions;

    /// <summary>44 bytes each way, one flight per party, in the given phase.</summary>
    public static CommunicationCost Cost(Phase phase = Phase.Preprocessing) =>
        CommunicationCost.Preprocessing(Bytes, Bytes, 2).InPhase(phase);

    public static void Exchange(IChannel channel, PartyRole role, LinearLayerParameters mine)
    {
        if (mine.Dimensions.Count > MaxDimensions)
            throw new ArgumentException($"a linear handshake carries at most {MaxDimensions} dimensions, got {mine.Dimensions.Count}");
        Span<byte> message = stackalloc byte[Bytes];
        message.Clear();
        message[0] = (byte)mine.Protocol;
        message[1] = checked((byte)mine.RingBits);
        message[2] = checked((byte)mine.Scale);
        message[3] = checked((byte)mine.ExtraScaleBits);
        message[4] = (byte)mine.Orientation;
        message[5] = (byte)mine.Dimensions.Count;
        message[6] = checked((byte)mine.WeightBits);
        for (int i = 0; i < mine.Dimensions.Count; i++)
            BinaryPrimitives.WriteInt32LittleEndian(message[(8 + 4 * i)..], mine.Dimensions[i].Value);

        var stream = channel.Stream(StreamName);
        stream.Send(message);
        Span<byte> theirs = stackalloc byte[Bytes];
        stream.Receive(theirs);
        Check(role, mine, theirs);
    }

    private static void Check(PartyRole role, LinearLayerParameters mine, ReadOnlySpan<byte> theirs)
    {
        string me = role.ToString().ToLowerInvariant(), peer = role.Peer().ToString().ToLowerInvariant();
        string what = Describe(mine.Protocol);
        var peerProtocol = (LinearProtocolId)theirs[0];
        if (peerProtocol != mine.Protocol)
            throw new ProtocolException(
                $"{what}: algorithm mismatch, the {me} runs {what} but the {peer} runs {Describe(peerProtocol)}; both parties must run the same linear protocol");
        if (theirs[1] != mine.RingBits)
            throw new ProtocolException(
                $"{what}: ring mismatch, the {me} uses ℓ = {mine.RingBits} bits but the {peer} uses ℓ = {theirs[1]}");
        if (theirs[2] != mine.Scale)
            throw new ProtocolException(
                $"{what}: scale mismatch, the {me} uses s = {mine.Scale} fractional bits but the {peer} uses s = {theirs[2]}");
        if (theirs[3] != mine.ExtraScaleBits)
            throw new ProtocolException(
                $"{what}: extra scale mismatch, the {me} uses e = {mine.ExtraScaleBits} bits but the {peer} uses e = {theirs[3]}");
        if (theirs[6] != mine.WeightBits)
            throw new ProtocolException(
                $"{what}: weight bit-width mismatch, the {me} uses B = {mine.WeightBits} bits per weight but the {peer} uses B = {theirs[6]}; " +
                "both parties must run with the same --weight-bits");
        for (int i = 0; i < mine.Dimensions.Count; i++)
        {
            var (name, value) = mine.Dimensions[i];
            int peerValue = BinaryPrimitives.ReadInt32LittleEndian(theirs[(8 + 4 * i)..]);
            if (peerValue != value)
                throw new ProtocolException(
                    $"{what}: shape mismatch, the {me} uses {name} = {value} but the {peer} uses {name} = {peerValue}");
        }
        var peerOrientation = (OtOrientation)theirs[4];
        if (peerOrientation != mine.Orientation)
            throw new ProtocolException(
                $"{what}: orientation mismatch, the {me} runs its OT products with {Describe(mine.Orientation)} but the {peer} " +
                $"with {Describe(peerOrientation)}; both parties must use the same orientation policy");
    }

    private static string Describe(OtOrientation orientation) => orientation switch
    {
        OtOrientation.ClientReceives => "the client as OT receiver",
        OtOrientation.ServerReceives => "the server as OT receiver",
        _ => $"an unknown orientation #{(int)orientation}",
    };

    private static string Describe(LinearProtocolId id) => id switch
    {
        LinearProtocolId.Im2colConvolution => "the im2col convolution",
        LinearProtocolId.WinogradF2x2 => "the Winograd F(2×2,3×3) convolution",
        LinearProtocolId.WinogradF4x4 => "the Winograd F(4×4,3×3) convolution",
        LinearProtocolId.PolyphaseConvolution => "the polyphase stride-2 convolution",
        LinearProtocolId.FullyConnected => "the fully connected layer",
        LinearProtocolId.BatchNorm => "the element-wise BatchNorm",
        LinearProtocolId.MatMul => "the OT matrix product",
        _ => $"an unknown linear protocol #{(byte)id}",
    };
}
