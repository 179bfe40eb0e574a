using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Core;

public class RingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-3)]
    public void Rejects_bit_widths_outside_1_to_64_with_the_reason(int bits)
    {
        var e = Assert.Throws<ArgumentException>(() => new Ring(bits));
        Assert.Contains("between 1 and 64", e.Message);
        Assert.Contains(bits.ToString(), e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(41)]
    [InlineData(63)]
    [InlineData(64)]
    public void Signed_view_round_trips_the_whole_signed_range(int bits)
    {
        var ring = new Ring(bits);
        foreach (long v in new[] { ring.MinSigned, ring.MinSigned + 1, -1, 0, 1, ring.MaxSigned - 1, ring.MaxSigned })
        {
            if (v < ring.MinSigned || v > ring.MaxSigned) continue;
            Assert.Equal(v, ring.ToSigned(ring.FromSigned(v)));
        }
        Assert.Equal(1, ring.Msb(ring.FromSigned(ring.MinSigned)));
        Assert.Equal(0, ring.Msb(ring.FromSigned(ring.MaxSigned)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(41)]
    [InlineData(64)]
    public void Vector_operations_match_scalar_arithmetic_mod_2_to_the_ell(int bits)
    {
        var ring = new Ring(bits);
        var rng = new Random(bits);
        const int n = 1003;
        var a = new ulong[n];
        var b = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = ring.Reduce((ulong)rng.NextInt64() ^ ((ulong)rng.NextInt64() << 1));
            b[i] = ring.Reduce((ulong)rng.NextInt64() ^ ((ulong)rng.NextInt64() << 1));
        }
        var sum = new ulong[n];
        var diff = new ulong[n];
        var neg = new ulong[n];
        var scaled = new ulong[n];
        ring.Add(a, b, sum);
        ring.Sub(a, b, diff);
        ring.Negate(a, neg);
        ring.MultiplyByPublic(a, 0xDEADBEEF12345UL, scaled);
        var modulus = System.Numerics.BigInteger.One << bits;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal((ulong)(((System.Numerics.BigInteger)a[i] + b[i]) % modulus), sum[i]);
            Assert.Equal((ulong)((((System.Numerics.BigInteger)a[i] - b[i]) % modulus + modulus) % modulus), diff[i]);
            Assert.Equal(0UL, ring.Add(neg[i], a[i]));
            Assert.Equal((ulong)(((System.Numerics.BigInteger)a[i] * 0xDEADBEEF12345UL) % modulus), scaled[i]);
            Assert.Equal(a[i], ring.Add(diff[i], b[i]));
        }
    }

    [Fact]
    public void Arithmetic_shift_is_signed_floor_division()
    {
        var ring = new Ring(41);
        long[] values = [-1, -2, -2047, -2048, -2049, 0, 1, 2047, 2048, ring.MinSigned, ring.MaxSigned];
        var x = values.Select(ring.FromSigned).ToArray();
        var y = new ulong[x.Length];
        ring.ShiftRightArithmetic(x, 11, y);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal((long)Math.Floor(values[i] / 2048.0), ring.ToSigned(y[i]));
    }

    [Fact]
    public void Mismatched_lengths_and_bad_shifts_are_rejected()
    {
        var ring = new Ring(32);
        Assert.Throws<ArgumentException>(() => ring.Add(new ulong[3], new ulong[4], new ulong[3]));
        Assert.Throws<ArgumentException>(() => ring.ShiftLeft(new ulong[3], 32, new ulong[3]));
    }
}
