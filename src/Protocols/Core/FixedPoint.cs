namespace CoPriv.Protocols.Core;

/// <summary>
/// Fixed-point encoding with scale s in a ring Z_{2^ℓ}: v ↦ round(v·2^s) mod 2^ℓ, read back as a signed value / 2^s.
/// Used by both parties for their own cleartext values (weights for the server, the image for the client).
/// </summary>
public readonly struct FixedPoint
{
    public FixedPoint(Ring ring, int scale)
    {
        if (scale < 0 || scale >= ring.Bits)
            throw new ArgumentException(
                $"fixed-point scale s must be between 0 and ℓ − 1 = {ring.Bits - 1}, got {scale}", nameof(scale));
        Ring = ring;
        Scale = scale;
    }

    public FixedPoint(int bits, int scale) : this(new Ring(bits), scale) { }

    public Ring Ring { get; }
    public int Scale { get; }

    /// <summary>2^s as a double.</summary>
    public double Unit => Math.ScaleB(1.0, Scale);

    /// <summary>round(v·2^s) mod 2^ℓ. Values outside the signed range wrap, as the ring does.</summary>
    public ulong Encode(double v)
    {
        if (!double.IsFinite(v))
            throw new ArgumentException($"cannot encode a non-finite value ({v}) in fixed point", nameof(v));
        double scaled = Math.Round(v * Unit, MidpointRounding.AwayFromZero);
        if (Math.Abs(scaled) >= 9.2e18)
            throw new ArgumentException($"value {v} is too large for fixed point with scale {Scale}", nameof(v));
        return Ring.FromSigned((long)scaled);
    }

    public double Decode(ulong x) => Ring.ToSigned(x) / Unit;

    public void Encode(ReadOnlySpan<double> src, Span<ulong> dst)
    {
        if (src.Length != dst.Length)
            throw new ArgumentException($"source length {src.Length} differs from destination length {dst.Length}");
        for (int i = 0; i < src.Length; i++) dst[i] = Encode(src[i]);
    }

    public void Decode(ReadOnlySpan<ulong> src, Span<double> dst)
    {
        if (src.Length != dst.Length)
            throw new ArgumentException($"source length {src.Length} differs from destination length {dst.Length}");
        for (int i = 0; i < src.Length; i++) dst[i] = Decode(src[i]);
    }

    public override string ToString() => $"fixed(ℓ={Ring.Bits}, s={Scale})";
}
