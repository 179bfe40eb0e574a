using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>Division by a public constant, max pooling and argmax against their cleartext meaning.</summary>
public class PoolingTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(41)]
    [InlineData(64)]
    public void Division_by_a_public_constant_rounds_towards_minus_infinity(int bits)
    {
        var ring = new Ring(bits);
        using var session = SessionPair.Create();
        foreach (int divisor in new[] { 1, 3, 9, 49, 64, 1000 })
        {
            var prg = AesPrg.FromTestSeed(50, (ulong)(bits * 10_000 + divisor));
            var x = Shares.Values(ring, prg, 300, 7, 11).ToList();
            foreach (long k in new long[] { 1, -1, 5, -5 })
                foreach (long r in new long[] { 0, 1, -1 })
                    x.Add(ring.FromSigned(k * divisor + r));
            var values = x.ToArray();
            var (x0, x1) = Shares.Split(ring, prg, values);
            int n = values.Length;
            var run = session.Run(
                ctx => { var y = new ulong[n]; PublicDivision.Run(ctx, ring, divisor, x0, y); return y; },
                ctx => { var y = new ulong[n]; PublicDivision.Run(ctx, ring, divisor, x1, y); return y; });
            var y = Shares.Reconstruct(ring, run.Server, run.Client);
            for (int i = 0; i < n; i++)
                Assert.True(NonLinearReference.DivideFloor(ring, values[i], (ulong)divisor) == y[i],
                    $"ℓ={bits}: {ring.ToSigned(values[i])} / {divisor} came out {ring.ToSigned(y[i])}");
            Assert.Equal(PublicDivision.Cost(n, ring, divisor), run.Cost);
        }
    }

    [Fact]
    public void Reference_division_floors_negative_quotients()
    {
        var ring = new Ring(16);
        Assert.Equal(-4, ring.ToSigned(NonLinearReference.DivideFloor(ring, ring.FromSigned(-7), 2)));
        Assert.Equal(-3, ring.ToSigned(NonLinearReference.DivideFloor(ring, ring.FromSigned(-9), 3)));
        Assert.Equal(3, ring.ToSigned(NonLinearReference.DivideFloor(ring, ring.FromSigned(11), 3)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(9)]
    public void Max_pool_gives_the_maximum_of_every_window(int windowSize)
    {
        var ring = new Ring(41);
        const int windows = 97;
        var prg = AesPrg.FromTestSeed(51, (ulong)windowSize);
        var x = new ulong[windows * windowSize];
        var small = new Ring(38);
        prg.Fill(x, small);
        for (int i = 0; i < x.Length; i++) x[i] = ring.FromSigned(small.ToSigned(x[i]));
        if (windowSize > 1)
            for (int w = 0; w < windows; w += 5) x[w * windowSize + 1] = x[w * windowSize];
        var (x0, x1) = Shares.Split(ring, prg, x);
        using var session = SessionPair.Create();
        foreach (var variant in Enum.GetValues<ReluVariant>())
        {
            var run = session.Run(
                ctx => { var m = new ulong[windows]; MaxPoolProtocol.Run(ctx, ring, x0, windowSize, m, variant); return m; },
                ctx => { var m = new ulong[windows]; MaxPoolProtocol.Run(ctx, ring, x1, windowSize, m, variant); return m; });
            var expected = new ulong[windows];
            NonLinearReference.MaxPool(ring, x, windowSize, expected);
            Assert.Equal(expected, Shares.Reconstruct(ring, run.Server, run.Client));
            Assert.Equal(MaxPoolProtocol.Cost(windows, windowSize, ring, variant), run.Cost);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(100)]
    public void Argmax_reveals_the_first_winning_class_to_the_client_only(int classes)
    {
        var ring = new Ring(41);
        const int rows = 23;
        var scores = Scores(ring, rows, classes, 52);
        var prg = AesPrg.FromTestSeed(53, (ulong)classes);
        var (s0, s1) = Shares.Split(ring, prg, scores);
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, ring, s0, classes, k); return k; },
            ctx => { var k = new int[rows]; ArgMaxProtocol.RunRevealToClient(ctx, ring, s1, classes, k); return k; });
        var expected = new int[rows];
        NonLinearReference.ArgMax(ring, scores, classes, expected);
        Assert.Equal(expected, run.Client);
        Assert.All(run.Server, k => Assert.Equal(-1, k));
        Assert.Equal(ArgMaxProtocol.Cost(rows, classes, ring, ArgMaxOutput.RevealToClient), run.Cost);
    }

    [Fact]
    public void Argmax_can_leave_index_and_maximum_shared()
    {
        var ring = new Ring(32);
        const int rows = 40, classes = 13;
        var scores = Scores(ring, rows, classes, 54);
        var prg = AesPrg.FromTestSeed(55);
        var (s0, s1) = Shares.Split(ring, prg, scores);
        using var session = SessionPair.Create();
        var run = session.Run(
            ctx => { var k = new ulong[rows]; var m = new ulong[rows]; ArgMaxProtocol.RunShared(ctx, ring, s0, classes, k, m); return (k, m); },
            ctx => { var k = new ulong[rows]; var m = new ulong[rows]; ArgMaxProtocol.RunShared(ctx, ring, s1, classes, k, m); return (k, m); });
        var expected = new int[rows];
        NonLinearReference.ArgMax(ring, scores, classes, expected);
        var index = Shares.Reconstruct(ring, run.Server.k, run.Client.k);
        var max = Shares.Reconstruct(ring, run.Server.m, run.Client.m);
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal((ulong)expected[r], index[r]);
            Assert.Equal(scores[r * classes + expected[r]], max[r]);
        }
        Assert.Equal(ArgMaxProtocol.Cost(rows, classes, ring, ArgMaxOutput.Shares), run.Cost);
    }

    /// <summary>Random scores within half the ring (so differences fit), with ties and a shared maximum here and there.</summary>
    private static ulong[] Scores(Ring ring, int rows, int classes, ulong seed)
    {
        var prg = AesPrg.FromTestSeed(seed, (ulong)classes);
        var half = new Ring(ring.Bits - 2);
        var s = new ulong[rows * classes];
        prg.Fill(s, half);
        for (int i = 0; i < s.Length; i++) s[i] = ring.FromSigned(half.ToSigned(s[i]));
        for (int r = 0; r < rows && classes > 2; r += 3)
        {
            s[r * classes + classes - 1] = ring.FromSigned(ring.ToSigned(ring.Mask >> 3));
            s[r * classes + 1] = s[r * classes + classes - 1];
        }
        return s;
    }
}
