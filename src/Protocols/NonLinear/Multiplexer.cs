using System.Buffers;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.NonLinear;

/// <summary>How a multiplexer's two OTs (one per direction) carry the selection.</summary>
internal enum SelectionOt
{
    /// <summary>Correlated OT, correlation (1 − 2·d_i)·x_i: λ + ℓ bits per direction.</summary>
    Correlated,

    /// <summary>Chosen-message OT with messages (d_i ⊕ c)·x_i − r_i: λ + 2ℓ bits per direction (SCI's ReLU).</summary>
    ChosenMessage,
}

/// <summary>
/// Multiplexer: y = d·x for an XOR-shared bit d and an additively shared x. Each party is OT sender once, over its
/// own share x_i, with the peer choosing by its bit share — two correlated OTs, 2(λ + ℓ) bits per element. Both parties
/// call it with their shares and get additive shares of y; neither learns d, x or y.
/// </summary>
public static class Multiplexer
{
    /// <summary>Additive shares of select[i] · x[i].</summary>
    public static void Run(PartyContext ctx, Ring ring, ReadOnlySpan<byte> selectShare, ReadOnlySpan<ulong> xShare,
        Span<ulong> yShare)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (selectShare.Length != xShare.Length || yShare.Length != xShare.Length)
            throw new ArgumentException(
                $"multiplexer operands differ in length: {selectShare.Length} bits, {xShare.Length} values, {yShare.Length} results");
        foreach (var b in selectShare)
            if (b > 1) throw new ArgumentException($"bit shares must be 0 or 1, got {b}", nameof(selectShare));
        ParameterHandshake.Exchange(ctx, NonLinearProtocolId.Multiplexer, ring.Bits, ("radix", 0), ("variant", 0), xShare.Length);
        Core(ctx, ring, selectShare, xShare, yShare, SelectionOt.Correlated);
    }

    /// <summary>Traffic of <see cref="Run"/> for n elements.</summary>
    public static CommunicationCost Cost(int n, Ring ring, OtBackendCosts? otCosts = null) =>
        ParameterHandshake.Cost + CoreCost(OtCallCost.Resolve(otCosts), n, ring, SelectionOt.Correlated);

    internal static CommunicationCost CoreCost(OtBackendCosts ot, long n, Ring ring, SelectionOt form) => form == SelectionOt.Correlated
        ? OtCallCost.Correlated(ot, n, ring.Bits, PartyRole.Server) + OtCallCost.Correlated(ot, n, ring.Bits, PartyRole.Client)
        : OtCallCost.Chosen(ot, n, ring.Bits, PartyRole.Server) + OtCallCost.Chosen(ot, n, ring.Bits, PartyRole.Client);

    /// <summary>
    /// The selection without the handshake: this party sends in one OT (over its own x) and receives in the other
    /// (choosing by its bit of d); the two run one after the other or at once (<see cref="OtDirections"/>). y may alias x.
    /// </summary>
    internal static void Core(PartyContext ctx, Ring ring, ReadOnlySpan<byte> d, ReadOnlySpan<ulong> x, Span<ulong> y,
        SelectionOt form)
    {
        int n = x.Length;
        if (n == 0) return;
        var choices = ArrayPool<byte>.Shared.Rent(n);
        var buffer = ArrayPool<ulong>.Shared.Rent(4 * n);
        try
        {
            d.CopyTo(choices);
            ulong mask = ring.Mask;
            int bits = ring.Bits;
            var received = buffer.AsSpan(3 * n, n);
            if (form == SelectionOt.Correlated)
            {
                // Sender i: correlation (1 − 2 d_i)·x_i, keeps d_i·x_i − s_i; the peer, choosing c = d_{1−i}, gets
                // s_i + c·(1 − 2 d_i)·x_i, and (d_i ⊕ c)·x_i = d_i·x_i + c·(1 − 2 d_i)·x_i.
                for (int i = 0; i < n; i++) buffer[i] = (d[i] == 0 ? x[i] : 0UL - x[i]) & mask;
                SendAndReceive(ctx,
                    () => ctx.Ot.Sender.SendCorrelated(buffer.AsSpan(0, n), bits, buffer.AsSpan(n, n)),
                    () => ctx.Ot.Receiver.ReceiveCorrelated(choices.AsSpan(0, n), bits, buffer.AsSpan(3 * n, n)));
                var own = buffer.AsSpan(n, n);
                for (int i = 0; i < n; i++) y[i] = ((d[i] == 0 ? 0UL : x[i]) - own[i] + received[i]) & mask;
            }
            else
            {
                // Sender i: random r_i, messages m_c = (d_i ⊕ c)·x_i − r_i; keeps r_i.
                var r = buffer.AsSpan(2 * n, n);
                ctx.Prg.Fill(r, ring);
                for (int i = 0; i < n; i++)
                {
                    ulong chosen = (x[i] - r[i]) & mask, other = (0UL - r[i]) & mask;
                    buffer[i] = d[i] == 0 ? other : chosen;
                    buffer[n + i] = d[i] == 0 ? chosen : other;
                }
                SendAndReceive(ctx,
                    () => ctx.Ot.Sender.SendChosen(buffer.AsSpan(0, n), buffer.AsSpan(n, n), bits),
                    () => ctx.Ot.Receiver.ReceiveChosen(choices.AsSpan(0, n), bits, buffer.AsSpan(3 * n, n)));
                for (int i = 0; i < n; i++) y[i] = (r[i] + received[i]) & mask;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(choices);
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }

    /// <summary>Runs this party's sending OT and its receiving OT, in the order both parties agree on.</summary>
    private static void SendAndReceive(PartyContext ctx, Action send, Action receive)
    {
        if (ctx.Role == PartyRole.Server) OtDirections.Run(ctx, send, receive);
        else OtDirections.Run(ctx, receive, send);
    }

    /// <summary>Traffic of <see cref="SelectVectors"/>: one packed correlated OT per element and direction.</summary>
    internal static CommunicationCost VectorCost(OtBackendCosts ot, long n, Ring ring, int valuesPerElement) =>
        OtCallCost.CorrelatedPacked(ot, n, valuesPerElement, ring.Bits, PartyRole.Server)
        + OtCallCost.CorrelatedPacked(ot, n, valuesPerElement, ring.Bits, PartyRole.Client);

    /// <summary>
    /// y = d·x for elements that carry several values under one selection bit (laid out element-major): each
    /// correlated OT carries all of them, so the λ term is paid once per element and direction. y may alias x.
    /// </summary>
    internal static void SelectVectors(PartyContext ctx, Ring ring, ReadOnlySpan<byte> d, ReadOnlySpan<ulong> x,
        Span<ulong> y, int valuesPerElement)
    {
        int n = d.Length, k = valuesPerElement, total = n * k;
        if (n == 0) return;
        var widths = ArrayPool<int>.Shared.Rent(n);
        var choices = ArrayPool<byte>.Shared.Rent(n);
        var buffer = ArrayPool<ulong>.Shared.Rent(3 * total);
        try
        {
            widths.AsSpan(0, n).Fill(ring.Bits);
            d.CopyTo(choices);
            ulong mask = ring.Mask;
            for (int i = 0; i < total; i++) buffer[i] = (d[i / k] == 0 ? x[i] : 0UL - x[i]) & mask;
            SendAndReceive(ctx,
                () => ctx.Ot.Sender.SendCorrelatedPacked(buffer.AsSpan(0, total), k, widths.AsSpan(0, n), buffer.AsSpan(total, total)),
                () => ctx.Ot.Receiver.ReceiveCorrelatedPacked(choices.AsSpan(0, n), k, widths.AsSpan(0, n), buffer.AsSpan(2 * total, total)));
            var own = buffer.AsSpan(total, total);
            var received = buffer.AsSpan(2 * total, total);
            for (int i = 0; i < total; i++) y[i] = ((d[i / k] == 0 ? 0UL : x[i]) - own[i] + received[i]) & mask;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(widths);
            ArrayPool<byte>.Shared.Return(choices);
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }
}
