namespace CoPriv.Protocols.Linear;

/// <summary>
/// The dimensions of C = A·B with A (D1×D2) the server's plaintext and B (D2×D3) secret-shared: D1·D2·D3
/// multiply-accumulates. For an im2col convolution D1 = output channels, D2 = kernel taps × input channels,
/// D3 = output pixels.
/// </summary>
public readonly record struct MatMulShape
{
    public MatMulShape(int d1, int d2, int d3)
    {
        if (d1 < 1 || d2 < 1 || d3 < 1)
            throw new ArgumentException($"matrix dimensions must be positive, got {d1}×{d2}·{d2}×{d3}");
        D1 = d1;
        D2 = d2;
        D3 = d3;
    }

    public int D1 { get; }
    public int D2 { get; }
    public int D3 { get; }

    public long MultiplyAccumulates => (long)D1 * D2 * D3;

    public override string ToString() => $"{D1}×{D2}×{D3}";
}
