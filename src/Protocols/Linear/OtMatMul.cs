using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// Secure C = A·B where the server holds A (D1×D2) in plaintext and B = B0 + B1 is shared (B0 the server's, B1 the
/// client's), by correlated OT (CrypTFlow2). Both parties call it with the same shape, orientation and weight
/// bit-width B (a handshake checks them before the first OT); the server passes A, the client its share B1, and each
/// gets an additive share of C (D1×D3). With the server as OT receiver it chooses with B bits per entry of A (every
/// entry in [−2^{B−1}, 2^{B−1}), checked; B = ℓ when not given). The server learns nothing about B1 and the client
/// nothing about A beyond the public B; both shares are uniformly random on their own.
/// </summary>
public static class OtMatMul
{
    /// <summary>
    /// The orientation the policy picks for this product, A's entries <paramref name="weightBits"/> wide (ℓ when null):
    /// <see cref="OrientationPolicy.Cheaper"/> compares the exact costs of both, the server receiver's with B OTs per entry.
    /// </summary>
    public static OtOrientation Choose(OtBackendCosts ot, MatMulShape shape, int ell, OrientationPolicy policy, int? weightBits = null) => policy switch
    {
        OrientationPolicy.ClientReceives => OtOrientation.ClientReceives,
        OrientationPolicy.ServerReceives => OtOrientation.ServerReceives,
        OrientationPolicy.Cheaper =>
            Cost(ot, shape, ell, OtOrientation.ServerReceives, weightBits: weightBits).TotalBytes
                < Cost(ot, shape, ell, OtOrientation.ClientReceives, weightBits: weightBits).TotalBytes
                ? OtOrientation.ServerReceives
                : OtOrientation.ClientReceives,
        _ => throw new ArgumentException($"unknown orientation policy {policy}", nameof(policy)),
    };

    /// <summary>
    /// Exact traffic of the cross term A·B1 (all of the OTs) under OT costs <paramref name="ot"/>, booked to
    /// <paramref name="phase"/>: with λ = <see cref="OtBackendCosts.TwoMessageRequestBits"/> (128 for IKNP),
    /// client receiver D2·D3·Σ_{k&lt;ℓ}(λ + D1(ℓ−k)) bits, server receiver D1·D2·Σ_{k&lt;B}(λ + D3(ℓ−k)) bits (B =
    /// <paramref name="weightBits"/>, ℓ when null; the client receiver's choices are ring elements, always ℓ bits), the packed
    /// payload rounded up to whole bytes once per OT chunk (<see cref="OtBackendCosts.CorrelatedPacked(int, ReadOnlySpan{int})"/>;
    /// exact bits whenever the values per OT are a multiple of 8), plus the rounds of the OT calls
    /// (<see cref="CorrelatedMatMul.Plan"/> says how the OTs are cut into calls).
    /// </summary>
    public static CommunicationCost Cost(OtBackendCosts ot, MatMulShape shape, int ell, OtOrientation orientation, Phase phase = Phase.Online,
        int? weightBits = null)
    {
        CheckEll(ell);
        var (p, n, m) = CoreDimensions(shape, orientation);
        var sender = orientation == OtOrientation.ClientReceives ? PartyRole.Server : PartyRole.Client;
        return CorrelatedMatMul.Cost(ot, p, n, m, ell, ReceiverBits(ell, orientation, weightBits), sender, phase);
    }

    /// <summary>
    /// Choice bits per entry of the receiver's matrix: B of the server's weights when it receives, ℓ for the client's
    /// share (uniform in the ring).
    /// </summary>
    internal static int ReceiverBits(int ell, OtOrientation orientation, int? weightBits)
    {
        int b = weightBits ?? ell;
        if (b < 1 || b > ell)
            throw new ArgumentException($"the weight bit-width B must be between 1 and ℓ = {ell}, got {b}", nameof(weightBits));
        return orientation == OtOrientation.ServerReceives ? b : ell;
    }

    /// <summary>
    /// Exact traffic of <see cref="RunServer"/> with <see cref="RunClient"/>: the parameter handshake
    /// (<see cref="LinearParameterHandshake"/>) and the cross term (<see cref="Cost"/>), all booked to
    /// <paramref name="phase"/>, the phase the caller runs them in.
    /// </summary>
    public static CommunicationCost RunCost(OtBackendCosts ot, MatMulShape shape, int ell, OtOrientation orientation,
        Phase phase = Phase.Online, int? weightBits = null) =>
        LinearParameterHandshake.Cost(phase) + Cost(ot, shape, ell, orientation, phase, weightBits);

    /// <summary>
    /// The server's side of C = A·B: A (D1×D2, ring elements) and its share B0 (D2×D3) in, its share of C (D1×D3)
    /// out. The client calls <see cref="RunClient"/> at the same time with the same shape, orientation and weight
    /// bit-width; every entry of A must fit in <paramref name="weightBits"/> bits (ℓ when null), or it is refused.
    /// </summary>
    public static void RunServer(PartyContext ctx, Ring ring, MatMulShape shape, OtOrientation orientation,
        ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b0, Span<ulong> c0, int? weightBits = null)
    {
        RequireRole(ctx, PartyRole.Server);
        Check(a.Length, (long)shape.D1 * shape.D2, "the server's matrix A");
        Check(b0.Length, (long)shape.D2 * shape.D3, "the server's share B0");
        Check(c0.Length, (long)shape.D1 * shape.D3, "the share of C");
        int bits = weightBits ?? ring.Bits;
        _ = ReceiverBits(ring.Bits, orientation, bits);
        WeightBitWidth.Check(ring, a, bits, "the OT matrix product", "the entries of A");
        LinearParameterHandshake.Exchange(ctx.Channel, ctx.Role, Parameters(ring, shape, orientation, bits));
        CrossTermServer(ctx.Ot.Sender, ctx.Ot.Receiver, ring, shape, orientation, bits, a, c0);
        var local = new ulong[c0.Length];
        RingMatrix.Multiply(ring, a, b0, shape.D1, shape.D2, shape.D3, local);
        ring.Add(c0, local, c0);
    }

    /// <summary>The client's side of C = A·B: its share B1 (D2×D3) in, its share of C (D1×D3) out.</summary>
    public static void RunClient(PartyContext ctx, Ring ring, MatMulShape shape, OtOrientation orientation,
        ReadOnlySpan<ulong> b1, Span<ulong> c1, int? weightBits = null)
    {
        RequireRole(ctx, PartyRole.Client);
        Check(b1.Length, (long)shape.D2 * shape.D3, "the client's share B1");
        Check(c1.Length, (long)shape.D1 * shape.D3, "the share of C");
        int bits = weightBits ?? ring.Bits;
        _ = ReceiverBits(ring.Bits, orientation, bits);
        LinearParameterHandshake.Exchange(ctx.Channel, ctx.Role, Parameters(ring, shape, orientation, bits));
        CrossTermClient(ctx.Ot.Sender, ctx.Ot.Receiver, ring, shape, orientation, bits, b1, c1);
    }

    /// <summary>
    /// The server's side of the cross term: its share of A·B1 (D1×D3, row-major) into share; A's entries
    /// <paramref name="weightBits"/> wide.
    /// </summary>
    internal static void CrossTermServer(IOtSender sender, IOtReceiver receiver, Ring ring, MatMulShape shape,
        OtOrientation orientation, int weightBits, ReadOnlySpan<ulong> a, Span<ulong> share)
    {
        Check(a.Length, (long)shape.D1 * shape.D2, "the server's matrix A");
        Check(share.Length, (long)shape.D1 * shape.D3, "the share of C");
        if (orientation == OtOrientation.ClientReceives)
        {
            // Sender with S = Aᵀ (D2×D1); the core yields Cᵀ (D3×D1).
            var aT = RingMatrix.Transpose(a, shape.D1, shape.D2);
            var cT = new ulong[share.Length];
            CorrelatedMatMul.RunSender(sender, ring, aT, shape.D3, shape.D2, shape.D1, ring.Bits, cT);
            RingMatrix.Transpose(cT, shape.D3, shape.D1, share);
        }
        else
        {
            // Receiver with R = A (D1×D2); the core yields C (D1×D3) directly.
            CorrelatedMatMul.RunReceiver(receiver, ring, a, shape.D1, shape.D2, shape.D3, weightBits, share);
        }
    }

    /// <summary>
    /// The client's side of the cross term: its share of A·B1 (D1×D3, row-major) into share; A's entries
    /// <paramref name="weightBits"/> wide (public).
    /// </summary>
    internal static void CrossTermClient(IOtSender sender, IOtReceiver receiver, Ring ring, MatMulShape shape,
        OtOrientation orientation, int weightBits, ReadOnlySpan<ulong> b1, Span<ulong> share)
    {
        Check(b1.Length, (long)shape.D2 * shape.D3, "the client's share B1");
        Check(share.Length, (long)shape.D1 * shape.D3, "the share of C");
        if (orientation == OtOrientation.ClientReceives)
        {
            var b1T = RingMatrix.Transpose(b1, shape.D2, shape.D3);
            var cT = new ulong[share.Length];
            CorrelatedMatMul.RunReceiver(receiver, ring, b1T, shape.D3, shape.D2, shape.D1, ring.Bits, cT);
            RingMatrix.Transpose(cT, shape.D3, shape.D1, share);
        }
        else
        {
            CorrelatedMatMul.RunSender(sender, ring, b1, shape.D1, shape.D2, shape.D3, weightBits, share);
        }
    }

    /// <summary>(p, n, m) of the core product R·S for an orientation.</summary>
    internal static (int P, int N, int M) CoreDimensions(MatMulShape shape, OtOrientation orientation) =>
        orientation == OtOrientation.ClientReceives ? (shape.D3, shape.D2, shape.D1) : (shape.D1, shape.D2, shape.D3);

    /// <summary>A bare product has no fixed-point scale: it multiplies ring elements.</summary>
    private static LinearLayerParameters Parameters(Ring ring, MatMulShape shape, OtOrientation orientation, int weightBits) =>
        LinearLayerParameters.MatMul(LinearProtocolId.MatMul, shape, ring.Bits, 0, orientation, weightBits);

    private static void RequireRole(PartyContext ctx, PartyRole role)
    {
        if (ctx.Role != role)
            throw new ArgumentException($"this is the {role.ToString().ToLowerInvariant()}'s side, called with the {ctx.Role.ToString().ToLowerInvariant()}'s context");
    }

    internal static void CheckEll(int ell)
    {
        if (ell is < 2 or > 64)
            throw new ArgumentException($"ring bit width ℓ must be between 2 and 64, got {ell}", nameof(ell));
    }

    private static void Check(int actual, long expected, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{what} has {actual} elements, expected {expected}");
    }
}
