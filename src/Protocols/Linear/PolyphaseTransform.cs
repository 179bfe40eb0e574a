using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Linear;

/// <summary>
/// A 3×3 stride-2 convolution as four stride-1 convolutions on Winograd F(2,2), in integers with no scaling.
/// y[i, j] = Σ_{a,b} w[a, b]·xp[2i + a, 2j + b] (xp the padded input) splits by the parity of the input coordinates:
/// along each axis the taps 0 and 2 read the even samples (a 2-tap stride-1 filter on them) and tap 1 the odd ones
/// (a 1-tap filter). An axis with 2 taps runs F(2,2) — Bᵀ = [[1,−1,0],[0,1,0],[0,−1,1]] on the even samples
/// 0, 2, 4 of a tile, G = [[1,0],[1,1],[0,1]] on taps (0, 2), Aᵀ = [[1,1,0],[0,1,1]] — and an axis with 1 tap the
/// identity on the odd samples 1, 3. The four parity combinations give 3·3 + 3·2 + 2·3 + 2·2 = 25 positions per
/// 2×2 output tile, against 36 multiplications for im2col, and the sum of their output transforms is the direct
/// stride-2 convolution exactly (every matrix is integral and G needs no denominator). Each output tile reads the
/// 5×5 input window starting at (4·ty − pad, 4·tx − pad), zero outside the input; edge tiles are cropped.
/// Pure local arithmetic: the server transforms its weights, each party its own input and output shares.
/// </summary>
public sealed class PolyphaseTransform : IConvolutionTransform
{
    /// <summary>Output tile side.</summary>
    public const int TileSide = 2;

    /// <summary>The input window a tile reads, per axis.</summary>
    private const int Window = 5;

    private static readonly AxisPhase Even = new(
        InputOffsets: [0, 2, 4],
        InputTransposed: new long[,] { { 1, -1, 0 }, { 0, 1, 0 }, { 0, -1, 1 } },
        Taps: [0, 2],
        Filter: new long[,] { { 1, 0 }, { 1, 1 }, { 0, 1 } },
        OutputTransposed: new long[,] { { 1, 1, 0 }, { 0, 1, 1 } });

    private static readonly AxisPhase Odd = new(
        InputOffsets: [1, 3],
        InputTransposed: new long[,] { { 1, 0 }, { 0, 1 } },
        Taps: [1],
        Filter: new long[,] { { 1 }, { 1 } },
        OutputTransposed: new long[,] { { 1, 0 }, { 0, 1 } });

    private readonly Term[][] _input;
    private readonly Term[][] _filter;
    private readonly Term[][] _output;

    private PolyphaseTransform()
    {
        var input = new List<Term[]>();
        var filter = new List<Term[]>();
        var output = new List<Term>[TileSide * TileSide];
        for (int i = 0; i < output.Length; i++) output[i] = [];
        foreach (var rows in new[] { Even, Odd })
            foreach (var cols in new[] { Even, Odd })
                for (int i = 0; i < rows.Size; i++)
                    for (int j = 0; j < cols.Size; j++)
                    {
                        int pos = input.Count;
                        input.Add(Outer(rows.InputTransposed, cols.InputTransposed, i, j,
                            (a, b) => rows.InputOffsets[a] * Window + cols.InputOffsets[b]));
                        filter.Add(Outer(rows.Filter, cols.Filter, i, j, (a, b) => rows.Taps[a] * 3 + cols.Taps[b]));
                        for (int u = 0; u < TileSide; u++)
                            for (int v = 0; v < TileSide; v++)
                            {
                                long coef = rows.OutputTransposed[u, i] * cols.OutputTransposed[v, j];
                                if (coef != 0) output[u * TileSide + v].Add(new Term(pos, coef));
                            }
                    }
        _input = [.. input];
        _filter = [.. filter];
        _output = [.. output.Select(terms => terms.ToArray())];
    }

    public static PolyphaseTransform Instance { get; } = new();

    /// <summary>Transform-domain positions per tile: 25 (one OT matrix product each, per group).</summary>
    public int Positions => _input.Length;

    /// <summary>Whether the shape is a 3×3 stride-2 convolution (any padding, size, groups); otherwise why not.</summary>
    public static bool Supports(ConvShape shape, out string reason)
    {
        if (shape.KernelH != 3 || shape.KernelW != 3)
            reason = $"the polyphase convolution needs a 3×3 kernel; {shape} has {shape.KernelH}×{shape.KernelW}";
        else if (shape.Stride != 2)
            reason = $"the polyphase convolution needs stride 2; {shape} has stride {shape.Stride}";
        else
            reason = "";
        return reason.Length == 0;
    }

    /// <summary>Tiles along each axis of the output: ⌈OutH/2⌉ × ⌈OutW/2⌉.</summary>
    public (int TilesH, int TilesW) TileGrid(ConvShape shape) =>
        ((shape.OutH + TileSide - 1) / TileSide, (shape.OutW + TileSide - 1) / TileSide);

    /// <summary>The transform of one 3×3 filter g (row-major, signed): its 25 transform-domain values u.</summary>
    public void TransformFilter(ReadOnlySpan<long> g, Span<long> u)
    {
        if (g.Length != 9) throw new ArgumentException($"a 3×3 filter has 9 values, got {g.Length}");
        if (u.Length != Positions) throw new ArgumentException($"U has {Positions} values, got {u.Length}");
        for (int pos = 0; pos < Positions; pos++)
        {
            long s = 0;
            foreach (var term in _filter[pos]) s = checked(s + term.Coefficient * g[term.Index]);
            u[pos] = s;
        }
    }

    /// <summary>
    /// The transformed weights of a whole layer (KCRS, 3×3) in the products' layout:
    /// result[((pos·G + g)·(K/G) + k)·(C/G) + c] as ring elements.
    /// </summary>
    public ulong[] TransformWeights(Ring ring, ConvShape shape, ReadOnlySpan<long> weights)
    {
        if (!Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        return ConvolutionTransforms.TransformWeights(this, ring, shape, weights);
    }

    /// <summary>
    /// The input transform of every channel and tile, on a share (or cleartext): v[(pos·C + c)·T + t], exact in the
    /// ring (sums and differences of input elements).
    /// </summary>
    public void TransformInput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> input, Span<ulong> v)
    {
        if (!Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        if (input.Length != shape.InputLength)
            throw new ArgumentException($"the input has {input.Length} elements, {shape} expects {shape.InputLength}");
        var (th, tw) = TileGrid(shape);
        int tiles = th * tw;
        if (v.Length != (long)Positions * shape.C * tiles)
            throw new ArgumentException($"the transformed input has {v.Length} elements, expected {(long)Positions * shape.C * tiles}");
        Span<ulong> d = stackalloc ulong[Window * Window];
        int stridePos = shape.C * tiles;
        for (int c = 0; c < shape.C; c++)
        {
            var plane = input.Slice(c * shape.H * shape.W, shape.H * shape.W);
            for (int ty = 0; ty < th; ty++)
                for (int tx = 0; tx < tw; tx++)
                {
                    ConvolutionTransforms.GatherWindow(plane, shape.H, shape.W, 2 * TileSide * ty - shape.Padding,
                        2 * TileSide * tx - shape.Padding, Window, d);
                    int t = ty * tw + tx;
                    for (int pos = 0; pos < _input.Length; pos++)
                    {
                        ulong s = 0;
                        foreach (var term in _input[pos]) s += d[term.Index] * (ulong)term.Coefficient;
                        v[pos * stridePos + c * tiles + t] = s & ring.Mask;
                    }
                }
        }
    }

    /// <summary>
    /// The output transform of every output channel and tile, on a share: m[(pos·K + k)·T + t] in, the K×OutH×OutW
    /// output out (edge tiles cropped).
    /// </summary>
    public void TransformOutput(Ring ring, ConvShape shape, ReadOnlySpan<ulong> m, Span<ulong> output)
    {
        if (!Supports(shape, out var reason)) throw new ArgumentException(reason, nameof(shape));
        var (th, tw) = TileGrid(shape);
        int tiles = th * tw;
        if (m.Length != (long)Positions * shape.K * tiles)
            throw new ArgumentException($"the products have {m.Length} elements, expected {(long)Positions * shape.K * tiles}");
        if (output.Length != shape.OutputLength)
            throw new ArgumentException($"the output has {output.Length} elements, expected {shape.OutputLength}");
        int stridePos = shape.K * tiles, outH = shape.OutH, outW = shape.OutW;
        for (int k = 0; k < shape.K; k++)
            for (int ty = 0; ty < th; ty++)
                for (int tx = 0; tx < tw; tx++)
                {
                    int t = ty * tw + tx;
                    for (int u = 0; u < TileSide; u++)
                    {
                        int y = ty * TileSide + u;
                        if (y >= outH) break;
                        for (int v = 0; v < TileSide; v++)
                        {
                            int x = tx * TileSide + v;
                            if (x >= outW) break;
                            ulong s = 0;
                            foreach (var term in _output[u * TileSide + v])
                                s += m[term.Index * stridePos + k * tiles + t] * (ulong)term.Coefficient;
                            output[(k * outH + y) * outW + x] = s & ring.Mask;
                        }
                    }
                }
    }

    /// <summary>The non-zero entries of the outer product row i of a ⊗ row j of b, indexed by <paramref name="index"/>.</summary>
    private static Term[] Outer(long[,] a, long[,] b, int i, int j, Func<int, int, int> index)
    {
        var terms = new List<Term>();
        for (int x = 0; x < a.GetLength(1); x++)
            for (int y = 0; y < b.GetLength(1); y++)
                if (a[i, x] * b[j, y] is var coef and not 0) terms.Add(new Term(index(x, y), coef));
        return [.. terms];
    }

    /// <summary>One axis of one parity: which samples of the tile's window it reads and its 1-D F(2, taps) matrices.</summary>
    private sealed record AxisPhase(int[] InputOffsets, long[,] InputTransposed, int[] Taps, long[,] Filter, long[,] OutputTransposed)
    {
        public int Size => InputOffsets.Length;
    }

    private readonly record struct Term(int Index, long Coefficient);
}
