using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>The Winograd output tile of a 3×3 convolution: F(m×m, 3×3) works on α×α = (m+2)×(m+2) input tiles.</summary>
public enum WinogradTile
{
    /// <summary>F(2×2, 3×3): α = 4, 16 products instead of 36 per tile (2.25×).</summary>
    F2x2 = 2,

    /// <summary>F(4×4, 3×3): α = 6, 36 products instead of 144 per tile (4×).</summary>
    F4x4 = 4,
}

/// <summary>
/// The matrices of Winograd's minimal filtering F(m×m, 3×3), Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, in integers: Bᵀ and Aᵀ
/// are integral, G is kept as D·G (D = 2 for F(2,3), 24 for F(4,3)) so that the server's weight transform is exact
/// integer arithmetic until one final rounding. The transformed weights are scaled by 2^e (e =
/// <see cref="ExtraScaleBits"/>) and the output owes e extra bits of truncation:
/// U' = round(2^e · (DG) g (DG)ᵀ / D²). For F(2,3), D² = 4 = 2^e with e = 2, so U' is exact and the result equals
/// 4× the direct convolution bit for bit. For F(4,3), D² = 576 is not a power of two: U' carries a rounding error of
/// at most ½ per entry (in units of 2^−e of the weight's last bit), which is the protocol's only accuracy cost.
/// Pure local arithmetic: the server transforms its weights, each party its own input and output shares.
/// </summary>
public sealed class WinogradTransform : IConvolutionTransform
{
    private static readonly long[,] InputF2 = { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } };
    private static readonly long[,] OutputF2 = { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } };
    private static readonly long[,] FilterF2 = { { 2, 0, 0 }, { 1, 1, 1 }, { 1, -1, 1 }, { 0, 0, 2 } };

    private static readonly long[,] InputF4 =
    {
        { 4, 0, -5, 0, 1, 0 }, { 0, -4, -4, 1, 1, 0 }, { 0, 4, -4, -1, 1, 0 },
        { 0, -2, -1, 2, 1, 0 }, { 0, 2, -1, -2, 1, 0 }, { 0, 4, 0, -5, 0, 1 },
    };
    private static readonly long[,] OutputF4 =
    {
        { 1, 1, 1, 1, 1, 0 }, { 0, 1, -1, 2, -2, 0 }, { 0, 1, 1, 4, 4, 0 }, { 0, 1, -1, 8, -8, 1 },
    };
    private static readonly long[,] FilterF4 =
    {
        { 6, 0, 0 }, { -4, -4, -4 }, { -4, 4, -4 }, { 1, 2, 4 }, { 1, -2, 4 }, { 0, 0, 24 },
    };

    /// <summary>The default extra scale of F(4,3): 10 bits keep the rounding error near one unit in the last place.</summary>
    public const int DefaultF4ExtraScaleBits = 10;

    private WinogradTransform(WinogradTile tile, long[,] input, long[,] output, long[,] filter, int denominator, int extraBits)
    {
        Tile = tile;
        M = (int)tile;
        Alpha = M + 2;
        InputTransposed = input;
        OutputTransposed = output;
        ScaledFilter = filter;
        FilterDenominator = denominator;
        ExtraScaleBits = extraBits;
    }

    /// <summary>The transform of a tile; <paramref name="extraScaleBits"/> only applies to F(4,3) (F(2,3) is exact with 2).</summary>
    public static WinogradTransform For(WinogradTile tile, int? extraScaleBits = null) => tile switch
    {
        WinogradTile.F2x2 when extraScaleBits is null or 2 => new(tile, InputF2, OutputF2, FilterF2, 2, 2),
        WinogradTile.F2x2 => throw new ArgumentException(
            $"F(2×2,3×3) is exact with 2 extra scale bits (G scaled by 2); {extraScaleBits} was asked", nameof(extraScaleBits)),
        WinogradTile.F4x4 => (extraScaleBits ?? DefaultF4ExtraScaleBits) is var e and >= 0 and <= 30
            ? new(tile, InputF4, OutputF4, FilterF4, 24, e)
            : throw new ArgumentException($"F(4×4,3×3) extra scale bits must be 0..30, got {extraScaleBits}", nameof(extraScaleBits)),
        _ => throw new ArgumentException($"unknown Winograd tile {tile}", nameof(tile)),
    };

    public WinogradTile Tile { get; }

    /// <summary>Output tile side m.</summary>
    public int M { get; }

    /// <summary>Input tile side α = m + 2; there are α² products per tile.</summary>
    public int Alpha { get; }

    int IConvolutionTransform.Positions => Alpha * Alpha;

    /// <summary>Bᵀ (α×α).</summary>
    public long[,] InputTransposed { get; }

    /// <summary>Aᵀ (m×α).</summary>
    public long[,] OutputTransposed { get; }

    /// <summary>D·G (α×3), integral.</summary>
    public long[,] ScaledFilter { get; }

    /// <summary>D: G = ScaledFilter / D.</summary>
    public int FilterDenominator { get; }

    /// <summary>e: the transformed weights are scaled by 2^e and the output owes e more bits of truncation.</summary>
    public int ExtraScaleBits { get; }

    /// <summary>Whether U' is exact (the result is 2^e × the direct convolution bit for bit).</summary>
    public bool IsExact => (1L << ExtraScaleBits) % ((long)FilterDenominator * FilterDenominator) == 0;

    /// <summary>
    /// The server's weight transform for one 3×3 filter g (signed fixed point, row-major 3×3): writes
    /// U'[i, j] = round(2^e · ((DG) g (DG)ᵀ)[i, j] / D²) (ties away from zero) to u (α×α, signed).
    /// </summary>
    public void TransformFilter(ReadOnlySpan<long> g, Span<long> u)
    {
        if (g.Length != 9) throw new ArgumentException($"a 3×3 filter has 9 values, got {g.Length}");
        if (u.Length != Alpha * Alpha) throw new ArgumentException($"U has {Alpha * Alpha} values, got {u.Length}");
        Span<Int128> tmp = stackalloc Int128[6 * 3];
        for (int i = 0; i < Alpha; i++)
            for (int b = 0; b < 3; b++)
            {
                Int128 s = 0;
                for (int a = 0; a < 3; a++) s += (Int128)ScaledFilter[i, a] * g[a * 3 + b];
                tmp[i * 3 + b] = s;
            }
        Int128 d2 = (Int128)FilterDenominator * FilterDenominator;
        for (int i = 0; i < Alpha; i++)
            for (int j = 0; j < Alpha; j++)
            {
                Int128 s = 0;
                for (int b = 0; b < 3; b++) s += tmp[i * 3 + b] * ScaledFilter[j, b];
                u[i * Alpha + j] = checked((long)DivideRounded(s << ExtraScaleBits, d2));
            }
    }

    /// <summary>
    /// The transformed weights of a whole layer in the layout the products use: position-major, then K/G × C/G per
    /// group: result[((pos·G + g)·(K/G) + k)·(C/G) + c] as ring elements. Weights are KCRS with a 3×3 kernel.
    /// </summary>
    public ulong[] TransformWeights(Ring ring, ConvShape shape, ReadOnlySpan<long> weights) =>
        ConvolutionTransforms.TransformWeights(this, ring, shape, weights);

    /// <summary>
    /// A worst-case bound, in units of 2^−s, on |truncate_{s+e}(Winograd) − truncate_s(direct)| for inputs with
    /// |d| ≤ <paramref name="maxAbsInput"/> (fixed-point integers): each U' entry is off 2^e·U by at most ½, which
    /// reaches output (u, v) through Σ_c Σ_{i,j} |Aᵀ_ui||Aᵀ_vj||V_{c,ij}| with |V_{c,ij}| ≤ β_i β_j max|d| (β_i the
    /// absolute row sum of Bᵀ), so the error before truncation is at most ½·(C/G)·γ²·max|d| with
    /// γ = max_u Σ_i |Aᵀ_ui| β_i, and after the truncations by s + e and s at most the ceiling of that over 2^{s+e}.
    /// 0 for an exact transform. F(4,3): γ = 126.
    /// </summary>
    public long ErrorBoundUlps(ConvShape shape, FixedPoint format, long maxAbsInput)
    {
        if (IsExact) return 0;
        ArgumentOutOfRangeException.ThrowIfNegative(maxAbsInput);
        Int128 gamma = OutputGain;
        Int128 numerator = gamma * gamma * shape.InputChannelsPerGroup * maxAbsInput;
        Int128 denominator = (Int128)2 << (format.Scale + ExtraScaleBits);
        return (long)((numerator + denominator - 1) / denominator);
    }

    /// <summary>γ = max_u Σ_i |Aᵀ_ui|·β_i with β_i = Σ_a |Bᵀ_ia|: how much an input magnitude can grow through V and Y.</summary>
    public long OutputGain
    {
        get
        {
            long gamma = 0;
            for (int u = 0; u < M; u++)
            {
                long g = 0;
                for (int i = 0; i < Alpha; i++)
                {
                    long beta = 0;
                    for (int a = 0; a < Alpha; a++) beta += Math.Abs(InputTransposed[i, a]);
                    g += Math.Abs(OutputTransposed[u, i]) * beta;
                }
                gamma = Math.Max(gamma, g);
            }
            return gamma;
        }
    }

    /// <summary>Tiles along each axis of the output: ⌈OutH/m⌉ × ⌈OutW/m⌉ (edge tiles padded with zeros).</summary>
    public (int TilesH, int TilesW) TileGrid(ConvShape shape) => ((shape.OutH + M - 1) / M, (shape.OutW + M - 1) / M);

    /// <summary>
    /// Input transform V = Bᵀ d B of every channel and tile, on a share (or cleartext) of the input: exact in the ring.
    /// Output layout: v[(pos·C + c)·T + t] — for each position, the C×T matrix of the products.
    /// </summary>
    public void TransformInput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> input, Span<ulong> v)
    {
        var (th, tw) = TileGrid(shape);
        int tiles = th * tw, a = Alpha, a2 = a * a;
        if (v.Length != (long)a2 * shape.C * tiles)
            throw new ArgumentException($"the transformed input has {v.Length} elements, expected {(long)a2 * shape.C * tiles}");
        Span<ulong> d = stackalloc ulong[a2];
        Span<ulong> tmp = stackalloc ulong[a2];
        int stridePos = shape.C * tiles;
        for (int c = 0; c < shape.C; c++)
        {
            var plane = input.Slice(c * shape.H * shape.W, shape.H * shape.W);
            for (int ty = 0; ty < th; ty++)
                for (int tx = 0; tx < tw; tx++)
                {
                    ConvolutionTransforms.GatherWindow(plane, shape.H, shape.W, ty * M - shape.Padding, tx * M - shape.Padding, a, d);
                    // tmp = Bᵀ d, then V = tmp B (B[b, j] = Bᵀ[j, b]).
                    MultiplyLeft(InputTransposed, a, d, a, tmp);
                    int t = ty * tw + tx;
                    for (int i = 0; i < a; i++)
                        for (int j = 0; j < a; j++)
                        {
                            ulong s = 0;
                            for (int b = 0; b < a; b++)
                            {
                                long coef = InputTransposed[j, b];
                                if (coef != 0) s += tmp[i * a + b] * (ulong)coef;
                            }
                            v[(i * a + j) * stridePos + c * tiles + t] = s & ring.Mask;
                        }
                }
        }
    }

    /// <summary>
    /// Output transform Y = Aᵀ M A of every output channel and tile, on a share: m[(pos·K + k)·T + t] in, the
    /// K×OutH×OutW output out (edge tiles cropped).
    /// </summary>
    public void TransformOutput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> m, Span<ulong> output)
    {
        var (th, tw) = TileGrid(shape);
        int tiles = th * tw, a = Alpha, a2 = a * a, mm = M;
        if (m.Length != (long)a2 * shape.K * tiles)
            throw new ArgumentException($"the products have {m.Length} elements, expected {(long)a2 * shape.K * tiles}");
        if (output.Length != shape.OutputLength)
            throw new ArgumentException($"the output has {output.Length} elements, expected {shape.OutputLength}");
        Span<ulong> tile = stackalloc ulong[a2];
        Span<ulong> tmp = stackalloc ulong[mm * a];
        int stridePos = shape.K * tiles, outH = shape.OutH, outW = shape.OutW;
        for (int k = 0; k < shape.K; k++)
            for (int ty = 0; ty < th; ty++)
                for (int tx = 0; tx < tw; tx++)
                {
                    int t = ty * tw + tx;
                    for (int pos = 0; pos < a2; pos++) tile[pos] = m[pos * stridePos + k * tiles + t];
                    MultiplyLeft(OutputTransposed, mm, tile, a, tmp);
                    for (int i = 0; i < mm; i++)
                    {
                        int y = ty * mm + i;
                        if (y >= outH) break;
                        for (int j = 0; j < mm; j++)
                        {
                            int x = tx * mm + j;
                            if (x >= outW) break;
                            ulong s = 0;
                            for (int b = 0; b < a; b++)
                            {
                                long coef = OutputTransposed[j, b];
                                if (coef != 0) s += tmp[i * a + b] * (ulong)coef;
                            }
                            output[(k * outH + y) * outW + x] = s & ring.Mask;
                        }
                    }
                }
    }

    /// <summary>dst (rows×cols) = coef (rows×inner) · src (inner×cols), wrapping mod 2^64.</summary>
    private static void MultiplyLeft(long[,] coef, int rows, ReadOnlySpan<ulong> src, int cols, Span<ulong> dst)
    {
        int inner = coef.GetLength(1);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                ulong s = 0;
                for (int b = 0; b < inner; b++)
                {
                    long c = coef[i, b];
                    if (c != 0) s += src[b * cols + j] * (ulong)c;
                }
                dst[i * cols + j] = s;
            }
    }

    /// <summary>x / d rounded to nearest, ties away from zero (d &gt; 0).</summary>
    private static Int128 DivideRounded(Int128 x, Int128 d)
    {
        var (quo, rem) = Int128.DivRem(x, d);
        if (2 * Int128.Abs(rem) >= d) quo += Int128.Sign(x);
        return quo;
    }
}
