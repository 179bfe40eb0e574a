using System.Buffers;
using CoPriv.Protocols.Core;

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
    public static CommunicationCost Cost(int n, Ring ring) =>
        ParameterHandshake.Cost + CoreCost(n, ring, SelectionOt.Correlated);

    internal static CommunicationCost CoreCost(long n, Ring ring, SelectionOt form) => form == SelectionOt.Correlated
        ? OtCallCost.Correlated(n, ring.Bits, PartyRole.Server) + OtCallCost.Correlated(n, ring.Bits, PartyRole.Client)
        : OtCallCost.Chosen(n, ring.Bits, PartyRole.Server) + OtCallCost.Chosen(n, ring.Bits, PartyRole.Client);

    /// <summary>
    /// The selection without the handshake. Both parties run the OT in which the server sends first, then the one in
    /// which the client sends. y may alias x.
    /// </summary>
    internal static void Core(PartyContext ctx, Ring ring, ReadOnlySpan<byte> d, ReadOnlySpan<ulong> x, Span<ulong> y,
        SelectionOt form)
    {
        int n = x.Length;
        if (n == 0) return;
        var sentBuffer = ArrayPool<ulong>.Shared.Rent(2 * n);
        var receivedBuffer = ArrayPool<ulong>.Shared.Rent(n);
        try
        {
            var sent = sentBuffer.AsSpan(0, 2 * n);
            var received = receivedBuffer.AsSpan(0, n);
            ulong mask = ring.Mask;
            if (form == SelectionOt.Correlated)
            {
                // Sender i: correlation (1 − 2 d_i)·x_i, keeps d_i·x_i − s_i; the peer, choosing c = d_{1−i}, gets
                // s_i + c·(1 − 2 d_i)·x_i, and (d_i ⊕ c)·x_i = d_i·x_i + c·(1 − 2 d_i)·x_i.
                var delta = sent[..n];
                var own = sent[n..];
                for (int i = 0; i < n; i++) delta[i] = (d[i] == 0 ? x[i] : 0UL - x[i]) & mask;
                if (ctx.Role == PartyRole.Server)
                {
                    ctx.Ot.Sender.SendCorrelated(delta, ring.Bits, own);
                    ctx.Ot.Receiver.ReceiveCorrelated(d, ring.Bits, received);
                }
                else
                {
                    ctx.Ot.Receiver.ReceiveCorrelated(d, ring.Bits, received);
                    ctx.Ot.Sender.SendCorrelated(delta, ring.Bits, own);
                }
                for (int i = 0; i < n; i++) y[i] = ((d[i] == 0 ? 0UL : x[i]) - own[i] + received[i]) & mask;
            }
            else
            {
                // Sender i: random r_i, messages m_c = (d_i ⊕ c)·x_i − r_i; keeps r_i.
                var m0 = sent[..n];
                var m1 = sent[n..];
                var r = ArrayPool<ulong>.Shared.Rent(n);
                try
                {
                    ctx.Prg.Fill(r.AsSpan(0, n), ring);
                    for (int i = 0; i < n; i++)
                    {
                        ulong chosen = x[i] - r[i], other = 0UL - r[i];
                        m0[i] = (d[i] == 0 ? other : chosen) & mask;
                        m1[i] = (d[i] == 0 ? chosen : other) & mask;
                    }
                    if (ctx.Role == PartyRole.Server)
                    {
                        ctx.Ot.Sender.SendChosen(m0, m1, ring.Bits);
                        ctx.Ot.Receiver.ReceiveChosen(d, ring.Bits, received);
                    }
                    else
                    {
                        ctx.Ot.Receiver.ReceiveChosen(d, ring.Bits, received);
                        ctx.Ot.Sender.SendChosen(m0, m1, ring.Bits);
                    }
                    for (int i = 0; i < n; i++) y[i] = (r[i] + received[i]) & mask;
                }
                finally { ArrayPool<ulong>.Shared.Return(r); }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(sentBuffer);
            ArrayPool<ulong>.Shared.Return(receivedBuffer);
        }
    }
    /// <summary>Traffic of <see cref="SelectVectors"/>: one packed correlated OT per element and direction.</summary>
    internal static CommunicationCost VectorCost(long n, Ring ring, int valuesPerElement) =>
        OtCallCost.CorrelatedPacked(n, valuesPerElement, ring.Bits, PartyRole.Server)
        + OtCallCost.CorrelatedPacked(n, valuesPerElement, ring.Bits, PartyRole.Client);

    /// <summary>
    /// y = d·x for elements that carry several values under one selection bit (laid out element-major): each
    /// correlated OT carries all of them, so the λ term is paid once per element and direction. y may alias x.
    /// </summary>
    internal static void SelectVectors(PartyContext ctx, Ring ring, ReadOnlySpan<byte> d, ReadOnlySpan<ulong> x,
        Span<ulong> y, int valuesPerElement)
    {
        int n = d.Length, k = valuesPerElement, total = n * k;
        if (n == 0) return;
        var widthBuffer = ArrayPool<int>.Shared.Rent(n);
        var buffer = ArrayPool<ulong>.Shared.Rent(3 * total);
        try
        {
            var bitsPerOt = widthBuffer.AsSpan(0, n);
            bitsPerOt.Fill(ring.Bits);
            var delta = buffer.AsSpan(0, total);
            var own = buffer.AsSpan(total, total);
            var received = buffer.AsSpan(2 * total, total);
            ulong mask = ring.Mask;
            for (int i = 0; i < total; i++) delta[i] = (d[i / k] == 0 ? x[i] : 0UL - x[i]) & mask;
            if (ctx.Role == PartyRole.Server)
            {
                ctx.Ot.Sender.SendCorrelatedPacked(delta, k, bitsPerOt, own);
                ctx.Ot.Receiver.ReceiveCorrelatedPacked(d, k, bitsPerOt, received);
            }
            else
            {
                ctx.Ot.Receiver.ReceiveCorrelatedPacked(d, k, bitsPerOt, received);
                ctx.Ot.Sender.SendCorrelatedPacked(delta, k, bitsPerOt, own);
            }
            for (int i = 0; i < total; i++) y[i] = ((d[i / k] == 0 ? 0UL : x[i]) - own[i] + received[i]) & mask;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(widthBuffer);
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }
}
