using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Linear;

namespace CoPriv.Protocols.Tests.Linear;

/// <summary>
/// The product's output spans are overwritten, never added to, and each share is a reduced ring element. Every other
/// caller passes fresh zeroed arrays, so mutation testing found that dropping the clearing or the final reduction
/// survived them.
/// </summary>
public class OtMatMulMutationTests
{
    [Theory]
    [InlineData(OtOrientation.ClientReceives)]
    [InlineData(OtOrientation.ServerReceives)]
    public void Shares_overwrite_stale_output_buffers_and_stay_reduced(OtOrientation orientation)
    {
        var ring = new Ring(24);
        var shape = new MatMulShape(3, 4, 5);
        var a = LinearTestData.Uniform(ring, 12, 96);
        var b = LinearTestData.Uniform(ring, 20, 97);
        var (b0, b1) = LinearHarness.Share(ring, b, 98);

        var run = TwoPartyRunner.Run(
            ch =>
            {
                var c0 = Stale(15, 0xDEAD_BEEF_0BAD_F00DUL);
                OtMatMul.RunServer(PartyContext.Create(ch, AesPrg.FromTestSeed(99, 0)), ring, shape, orientation, a, b0, c0);
                return c0;
            },
            ch =>
            {
                var c1 = Stale(15, 0x0123_4567_89AB_CDEFUL);
                OtMatMul.RunClient(PartyContext.Create(ch, AesPrg.FromTestSeed(99, 1)), ring, shape, orientation, b1, c1);
                return c1;
            });

        var expected = new ulong[15];
        RingMatrix.Multiply(ring, a, b, 3, 4, 5, expected);
        var sum = new ulong[15];
        ring.Add(run.Server, run.Client, sum);
        Assert.Equal(expected, sum);
        Assert.All(run.Server, v => Assert.True(v <= ring.Mask, $"server share {v:X} is not reduced mod 2^{ring.Bits}"));
        Assert.All(run.Client, v => Assert.True(v <= ring.Mask, $"client share {v:X} is not reduced mod 2^{ring.Bits}"));
    }

    /// <summary>
    /// A buffer left over from earlier work, above 2^ℓ, different for each party (equal leftovers would cancel out in
    /// the sum, since one party's share enters negated).
    /// </summary>
    private static ulong[] Stale(int length, ulong leftover) => Enumerable.Repeat(leftover, length).ToArray();
}
