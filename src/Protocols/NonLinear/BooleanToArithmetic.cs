using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>
/// Boolean-to-arithmetic conversion: an XOR-shared bit b = b0 ⊕ b1 becomes additive shares of b in Z_{2^ℓ}, using
/// b = b0 + b1 − 2·b0·b1 and one correlated OT (server sender, correlation −2·b0, client's choice b1): λ + ℓ bits per
/// bit. Both parties call it with their bit shares; neither learns b.
/// </summary>
public static class BooleanToArithmetic
{
    /// <summary>Additive shares in <paramref name="ring"/> of the XOR-shared bits (0/1 bytes).</summary>
    public static void Run(PartyContext ctx, Ring ring, ReadOnlySpan<byte> bitShare, Span<ulong> arithmeticShare)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (bitShare.Length != arithmeticShare.Length)
            throw new ArgumentException($"{bitShare.Length} bits but room for {arithmeticShare.Length} results");
        foreach (var b in bitShare)
            if (b > 1) throw new ArgumentException($"bit shares must be 0 or 1, got {b}", nameof(bitShare));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.BooleanToArithmetic, ring.Bits, ("radix", 0), ("variant", 0),
            bitShare.Length);
        Core(ctx, ring, bitShare, arithmeticShare);
    }

    /// <summary>Traffic of <see cref="Run"/> for n bits.</summary>
    public static CommunicationCost Cost(int n, Ring ring, OtBackendCosts? otCosts = null) =>
        ParameterHandshake.Cost + CoreCost(OtCallCost.Resolve(otCosts), n, ring);

    internal static CommunicationCost CoreCost(OtBackendCosts ot, int n, Ring ring) => OtCallCost.Correlated(ot, n, ring.Bits, PartyRole.Server);

    /// <summary>The conversion without the handshake.</summary>
    internal static void Core(PartyContext ctx, Ring ring, ReadOnlySpan<byte> bitShare, Span<ulong> arithmeticShare)
    {
        int n = bitShare.Length;
        if (n == 0) return;
        if (ctx.Role == PartyRole.Server)
        {
            var delta = ArrayPool<ulong>.Shared.Rent(n);
            try
            {
                for (int i = 0; i < n; i++) delta[i] = (0UL - 2UL * bitShare[i]) & ring.Mask;
                ctx.Ot.Sender.SendCorrelated(delta.AsSpan(0, n), ring.Bits, arithmeticShare);
                for (int i = 0; i < n; i++) arithmeticShare[i] = (bitShare[i] - arithmeticShare[i]) & ring.Mask;
            }
            finally { ArrayPool<ulong>.Shared.Return(delta); }
        }
        else
        {
            ctx.Ot.Receiver.ReceiveCorrelated(bitShare, ring.Bits, arithmeticShare);
            for (int i = 0; i < n; i++) arithmeticShare[i] = (bitShare[i] + arithmeticShare[i]) & ring.Mask;
        }
    }
}
