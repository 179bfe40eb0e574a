using System.Collections.Concurrent;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The correlated-OT functionality computed by a trusted party inside the test process (no channel traffic), so
/// that the linear layers' bookkeeping can be tested before the IKNP stack lands. Only the packed COT is offered.
/// </summary>
internal static class IdealCorrelatedOt
{
    private sealed record Batch(ulong[] X0, ulong[] Delta, int[] Bits, int ValuesPerOt);

    public static (IOtSender Sender, IOtReceiver Receiver) CreatePair(ulong seed)
    {
        var queue = new BlockingCollection<Batch>();
        return (new Sender(queue, AesPrg.FromTestSeed(seed, 77)), new Receiver(queue));
    }

    private static ulong Mask(int bits) => bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;

    private sealed class Sender(BlockingCollection<Batch> queue, AesPrg prg) : IOtSender
    {
        public void SendCorrelatedPacked(ReadOnlySpan<ulong> delta, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> x0)
        {
            prg.Fill(x0);
            for (int i = 0; i < bitsPerOt.Length; i++)
                for (int j = 0; j < valuesPerOt; j++) x0[i * valuesPerOt + j] &= Mask(bitsPerOt[i]);
            queue.Add(new Batch(x0.ToArray(), delta.ToArray(), bitsPerOt.ToArray(), valuesPerOt));
        }

        public void SendChosen(ReadOnlySpan<ulong> m0, ReadOnlySpan<ulong> m1, int bits) => throw new NotSupportedException();
        public void SendCorrelated(ReadOnlySpan<ulong> delta, int bits, Span<ulong> x0) => throw new NotSupportedException();
        public void SendRandom(Span<ulong> r0, Span<ulong> r1, int bits) => throw new NotSupportedException();
        public void SendOneOfN(ReadOnlySpan<ulong> messages, int n, int bits) => throw new NotSupportedException();
    }

    private sealed class Receiver(BlockingCollection<Batch> queue) : IOtReceiver
    {
        public void ReceiveCorrelatedPacked(ReadOnlySpan<byte> choices, int valuesPerOt, ReadOnlySpan<int> bitsPerOt, Span<ulong> result)
        {
            var b = queue.Take();
            if (b.ValuesPerOt != valuesPerOt || !b.Bits.AsSpan().SequenceEqual(bitsPerOt) || choices.Length != bitsPerOt.Length)
                throw new InvalidOperationException("sender and receiver disagree on the batch");
            for (int i = 0; i < bitsPerOt.Length; i++)
                for (int j = 0; j < valuesPerOt; j++)
                {
                    int t = i * valuesPerOt + j;
                    result[t] = (b.X0[t] + (choices[i] == 1 ? b.Delta[t] : 0)) & Mask(bitsPerOt[i]);
                }
        }

        public void ReceiveChosen(ReadOnlySpan<byte> choices, int bits, Span<ulong> result) => throw new NotSupportedException();
        public void ReceiveCorrelated(ReadOnlySpan<byte> choices, int bits, Span<ulong> result) => throw new NotSupportedException();
        public void ReceiveRandom(Span<byte> choices, Span<ulong> result, int bits) => throw new NotSupportedException();
        public void ReceiveOneOfN(ReadOnlySpan<byte> choices, int n, int bits, Span<ulong> result) => throw new NotSupportedException();
    }
}
