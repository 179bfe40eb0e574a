using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// An OT sender that records the outputs the OT functionality hands this party (the random x0 of correlated and
/// random OTs); chosen-message and 1-out-of-N sending give the sender nothing.
/// </summary>
internal sealed class ObservingOtSender(IOtSender inner, ReceivedView view) : IOtSender
{
    public UInt128 GlobalDelta => inner.GlobalDelta;

    public void SendChosen(ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits) => inner.SendChosen(m0, m1, bits);

    public void SendOneOfN(ReadOnlySpan<ulong> messages, int n, int bits) => inner.SendOneOfN(messages, n, bits);

    public void SendCorrelated(ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0)
    {
        inner.SendCorrelated(delta, bits, x0);
        view.Add("ot SendCorrelated x0", ObservationKind.OtOutput, x0, OtWidths.Uniform(x0.Length, bits));
    }

    public void SendCorrelatedPacked(ReadOnlySpan<ulong> delta, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> x0)
    {
        inner.SendCorrelatedPacked(delta, valuesPerOt, bitsPerOt, x0);
        view.Add("ot SendCorrelatedPacked x0", ObservationKind.OtOutput, x0, OtWidths.Packed(valuesPerOt, bitsPerOt));
    }

    public void SendRandom(Span<ulong> r0, Span<ulong> r1, int bits)
    {
        inner.SendRandom(r0, r1, bits);
        view.Add("ot SendRandom r0", ObservationKind.OtOutput, r0, OtWidths.Uniform(r0.Length, bits));
        view.Add("ot SendRandom r1", ObservationKind.OtOutput, r1, OtWidths.Uniform(r1.Length, bits));
    }

    public void SendRandomCot(Span<ulong> x0Blocks)
    {
        inner.SendRandomCot(x0Blocks);
        view.Add("ot SendRandomCot x0", ObservationKind.OtOutput, x0Blocks, OtWidths.Uniform(x0Blocks.Length, 64));
    }

    /// <summary>Forwarded: making COTs ahead hands this party nothing (the later calls' outputs are still observed).</summary>
    public void PrepareCots(int count) => inner.PrepareCots(count);

    /// <summary>Refused: the batch's later outputs would bypass the observer, and no protocol under test uses it.</summary>
    public RandomCotSenderBatch PrecomputeRandomCot(int count) =>
        throw new NotSupportedException("the privacy harness does not observe precomputed random COTs");
}

/// <summary>An OT receiver that records every output it gets (and the random choices of random OTs).</summary>
internal sealed class ObservingOtReceiver(IOtReceiver inner, ReceivedView view) : IOtReceiver
{
    public void ReceiveChosen(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        inner.ReceiveChosen(choices, bits, result);
        view.Add("ot ReceiveChosen", ObservationKind.OtOutput, result, OtWidths.Uniform(result.Length, bits));
    }

    public void ReceiveCorrelated(ReadOnlySpan<byte> choices, int bits, Span<ulong> result)
    {
        inner.ReceiveCorrelated(choices, bits, result);
        view.Add("ot ReceiveCorrelated", ObservationKind.OtOutput, result, OtWidths.Uniform(result.Length, bits));
    }

    public void ReceiveCorrelatedPacked(ReadOnlySpan<byte> choices, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> result)
    {
        inner.ReceiveCorrelatedPacked(choices, valuesPerOt, bitsPerOt, result);
        view.Add("ot ReceiveCorrelatedPacked", ObservationKind.OtOutput, result, OtWidths.Packed(valuesPerOt, bitsPerOt));
    }

    public void ReceiveRandom(Span<byte> choices, Span<ulong> result, int bits)
    {
        inner.ReceiveRandom(choices, result, bits);
        view.Add("ot ReceiveRandom choices", ObservationKind.OtOutput, OtWidths.Widen(choices), OtWidths.Uniform(choices.Length, 1));
        view.Add("ot ReceiveRandom", ObservationKind.OtOutput, result, OtWidths.Uniform(result.Length, bits));
    }

    public void ReceiveOneOfN(ReadOnlySpan<byte> choices, int n, int bits, Span<ulong> result)
    {
        inner.ReceiveOneOfN(choices, n, bits, result);
        view.Add("ot ReceiveOneOfN", ObservationKind.OtOutput, result, OtWidths.Uniform(result.Length, bits));
    }

    public void ReceiveRandomCot(Span<byte> choices, Span<ulong> blocks)
    {
        inner.ReceiveRandomCot(choices, blocks);
        view.Add("ot ReceiveRandomCot choices", ObservationKind.OtOutput, OtWidths.Widen(choices), OtWidths.Uniform(choices.Length, 1));
        view.Add("ot ReceiveRandomCot", ObservationKind.OtOutput, blocks, OtWidths.Uniform(blocks.Length, 64));
    }

    /// <summary>Forwarded: making COTs ahead hands this party nothing (the later calls' outputs are still observed).</summary>
    public void PrepareCots(int count) => inner.PrepareCots(count);

    /// <summary>Refused: the batch's later outputs would bypass the observer, and no protocol under test uses it.</summary>
    public RandomCotReceiverBatch PrecomputeRandomCot(int count) =>
        throw new NotSupportedException("the privacy harness does not observe precomputed random COTs");
}

/// <summary>Element widths of OT outputs, laid out as the OT interfaces lay out their values.</summary>
internal static class OtWidths
{
    public static int[] Uniform(int count, int bits)
    {
        var widths = new int[count];
        widths.AsSpan().Fill(bits);
        return widths;
    }

    /// <summary>OT-major: value j of OT i has bitsPerOt[i] bits.</summary>
    public static int[] Packed(int valuesPerOt, ReadOnlySpan<int> bitsPerOt)
    {
        var widths = new int[bitsPerOt.Length * valuesPerOt];
        for (int i = 0; i < bitsPerOt.Length; i++) widths.AsSpan(i * valuesPerOt, valuesPerOt).Fill(bitsPerOt[i]);
        return widths;
    }

    public static ulong[] Widen(ReadOnlySpan<byte> bits)
    {
        var values = new ulong[bits.Length];
        for (int i = 0; i < bits.Length; i++) values[i] = bits[i];
        return values;
    }
}
