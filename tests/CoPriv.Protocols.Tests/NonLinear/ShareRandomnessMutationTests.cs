using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// Each party's output shares are fresh randomness, not a function of the inputs. A protocol that forgot to draw a
/// mask still reconstructs correctly, so the exactness tests pass it; these catch it in milliseconds (mutation testing
/// found such mutants surviving), where the transcript-privacy suite would take minutes. The bounds are far outside
/// what fair coins give (over 7σ) and the seeds are fixed, so the tests are deterministic.
/// </summary>
public class ShareRandomnessMutationTests
{
    private const int N = 256;

    /// <summary>Ones among N fair bits lie within ±8σ of N/2 with a fixed seed; a constant or stale mask does not.</summary>
    private static void AssertBalanced(ReadOnlySpan<byte> bits, string what)
    {
        int ones = 0;
        foreach (var b in bits) ones += b;
        Assert.True(ones is > N / 4 and < 3 * N / 4, $"{what}: {ones} of {bits.Length} share bits are 1");
    }

    [Fact]
    public void Single_digit_comparison_shares_are_balanced_and_fresh_per_call()
    {
        // One 4-bit digit at radix 4: the output is the leaf itself, masked only by the server's leaf mask.
        var prg = AesPrg.FromTestSeed(90);
        var x = new ulong[N];
        var y = new ulong[N];
        for (int i = 0; i < N; i++) { x[i] = prg.NextUInt64() & 15; y[i] = prg.NextUInt64() & 15; }
        using var session = SessionPair.Create(90);
        CallResult<byte[], byte[]> Compare() => session.Run(
            ctx => { var g = new byte[N]; MillionaireProtocol.Run(ctx, 4, x, g, radix: 4); return g; },
            ctx => { var g = new byte[N]; MillionaireProtocol.Run(ctx, 4, y, g, radix: 4); return g; });

        var first = Compare();
        var second = Compare();

        AssertBalanced(first.Server, "server");
        AssertBalanced(first.Client, "client");
        Assert.NotEqual(first.Server, second.Server);
        Assert.Equal(Shares.ReconstructBits(first.Server, first.Client), Shares.ReconstructBits(second.Server, second.Client));
    }

    [Fact]
    public void Bit_triples_are_correct_and_each_party_holds_balanced_fresh_shares()
    {
        using var session = SessionPair.Create(91);
        CallResult<byte[][], byte[][]> Generate() => session.Run(Own, Own);

        var first = Generate();
        var second = Generate();

        var a = Shares.ReconstructBits(first.Server[0], first.Client[0]);
        var b = Shares.ReconstructBits(first.Server[1], first.Client[1]);
        var c = Shares.ReconstructBits(first.Server[2], first.Client[2]);
        for (int i = 0; i < N; i++) Assert.Equal(a[i] & b[i], c[i]);
        string[] names = ["a", "b", "c"];
        for (int k = 0; k < 3; k++)
        {
            AssertBalanced(first.Server[k], $"server's {names[k]}");
            AssertBalanced(first.Client[k], $"client's {names[k]}");
            Assert.NotEqual(first.Server[k], second.Server[k]);
            Assert.NotEqual(first.Client[k], second.Client[k]);
        }
        AssertBalanced(a, "a");
        AssertBalanced(b, "b");

        static byte[][] Own(PartyContext ctx)
        {
            using var t = BitTriples.Generate(ctx, ctx.Prg, N);
            return [t.A.ToArray(), t.B.ToArray(), t.C.ToArray()];
        }
    }

    [Theory]
    [InlineData(ReluVariant.ChosenMessageOt)]
    [InlineData(ReluVariant.CorrelatedOtMultiplexer)]
    public void Relu_output_shares_of_negative_inputs_are_random_not_zero(ReluVariant variant)
    {
        // ReLU of a negative value is 0: a party whose output share is 0 (or repeats across calls) was never masked.
        // Both calls run on one thread per party, so the second gets the first's pooled buffers back: a mask that is
        // not drawn afresh shows as a repeated share even when the pool handed out stale bytes instead of zeros.
        var ring = new Ring(32);
        var prg = AesPrg.FromTestSeed(92);
        var x = new ulong[N];
        for (int i = 0; i < N; i++) x[i] = ring.FromSigned(-1 - (long)(prg.NextUInt64() % 1000));
        var (x0, x1) = Shares.Split(ring, prg, x);
        using var session = SessionPair.Create(92);
        var run = session.Run(ctx => TwoRelus(ctx, x0), ctx => TwoRelus(ctx, x1));

        for (int call = 0; call < 2; call++)
        {
            Assert.All(Shares.Reconstruct(ring, run.Server[call], run.Client[call]), v => Assert.Equal(0UL, v));
            Assert.True(run.Server[call].Count(v => v == 0) < 4, "the server's shares of ReLU(x < 0) are 0");
            Assert.True(run.Client[call].Count(v => v == 0) < 4, "the client's shares of ReLU(x < 0) are 0");
        }
        Assert.NotEqual(run.Server[0], run.Server[1]);
        Assert.NotEqual(run.Client[0], run.Client[1]);

        ulong[][] TwoRelus(PartyContext ctx, ulong[] share)
        {
            ulong[][] y = [new ulong[N], new ulong[N]];
            foreach (var output in y) ReluProtocol.Run(ctx, ring, share, output, variant);
            return y;
        }
    }
}
