using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.NonLinear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Inference.Planning;

/// <summary>
/// Which secure protocol runs each layer of a model: the fixed-point lowering (ring ℓ, scale s, where BatchNorm and
/// truncations go, which convolution algorithm each convolution uses) and the settings of the 2PC protocols (the
/// orientation of every OT matrix product, the ReLU multiplexer, the millionaires' radix). Public: both parties use
/// the same policy, and the plan built from it says which protocol each layer runs.
/// </summary>
public sealed record SecureInferencePolicy
{
    public const string CrypTFlow2Name = "cryptflow2";
    public const string CoPrivName = "copriv";
    public const string CoPrivF4Name = "copriv-f4";

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [CrypTFlow2Name, CoPrivName, CoPrivF4Name];

    /// <summary>"cryptflow2" or "copriv" (or a caller's own name for a custom policy).</summary>
    public required string Name { get; init; }

    public required FixedPointPolicy FixedPoint { get; init; }

    /// <summary>Who is the correlated-OT receiver of each linear layer's matrix products.</summary>
    public OrientationPolicy Orientation { get; init; } = OrientationPolicy.ClientReceives;

    public ReluVariant Relu { get; init; } = ReluProtocol.DefaultVariant;

    /// <summary>m of the millionaires' protocol inside ReLU, truncation, pooling and argmax (4, SCI's default).</summary>
    public int MillionaireRadix { get; init; } = 4;

    /// <summary>The OT backend every OT of the run is derived from; the cost functions read its per-OT figures.</summary>
    public OtBackend Ot { get; init; } = OtBackend.Iknp;

    /// <summary>
    /// B, the public bit-width of every linear layer's server operand (weights as the layer's protocol uses them): a
    /// product with the server as OT receiver makes B OTs per weight instead of ℓ. Null means ℓ (no reduction), what
    /// <see cref="CrypTFlow2"/> always uses. The server refuses a model whose operands need more.
    /// </summary>
    public int? WeightBits { get; init; }

    /// <summary>
    /// When the input-independent work runs (<see cref="PreprocessMode"/>): inline by default, where every layer
    /// pre-processes just before its online part; a run spec says ahead unless told otherwise.
    /// </summary>
    public PreprocessMode Preprocess { get; init; } = PreprocessMode.Inline;

    /// <summary>
    /// B that every zoo model fits at s = 11, Winograd F(2×2,3×3) and polyphase transforms included (measured by
    /// <c>ZooWeightBitWidthTests</c>, which fails when a zoo model outgrows it).
    /// </summary>
    public const int DefaultWeightBitsAtScale11 = 17;

    /// <summary>
    /// The default B at scale s: <see cref="DefaultWeightBitsAtScale11"/> moved with s (a weight at scale s has s − 11
    /// more bits), at most ℓ.
    /// </summary>
    public static int DefaultWeightBits(int ringBits, int scale) =>
        Math.Clamp(DefaultWeightBitsAtScale11 + scale - 11, 1, ringBits);

    public int RingBits => FixedPoint.RingBits;
    public int Scale => FixedPoint.Scale;

    /// <summary>
    /// CrypTFlow2's inference mode as SCI runs it: im2col convolutions, the client always the COT receiver,
    /// BatchNorm as an element-wise OT product on the convolution output, truncation after ReLU, ReLU with two
    /// chosen-message OTs.
    /// </summary>
    /// <remarks>Every product chooses with all ℓ bits (no weight bit-width): SCI's products, byte for byte.</remarks>
    public static SecureInferencePolicy CrypTFlow2(int ringBits = FixedPointPolicy.DefaultRingBits, int scale = FixedPointPolicy.DefaultScale,
        OtBackend? ot = null)
    {
        // The baseline is SCI as published: its OTs are IKNP's, so that every comparison is against the real thing.
        if (ot is not null && ot != OtBackend.Iknp)
            throw new ArgumentException($"{CrypTFlow2Name} is SCI's baseline and runs over IKNP only; --ot {ot.Name} applies to {CoPrivName}");
        return new()
        {
            Name = CrypTFlow2Name,
            FixedPoint = FixedPointPolicy.CrypTFlow2 with { RingBits = ringBits, Scale = scale },
            Orientation = OrientationPolicy.ClientReceives,
            Ot = OtBackend.Iknp,
        };
    }

    /// <summary>
    /// CoPriv: Winograd F(2×2, 3×3) for the 3×3 stride-1 convolutions and the polyphase stride-2 algorithm (four
    /// sub-convolutions on Winograd F(2,2)) for the 3×3 stride-2 ones, each where its exact cost is below im2col's (every
    /// dense layer; not depthwise layers with tiny outputs), im2col elsewhere, each OT matrix product in the orientation
    /// that sends fewer bytes ("DNN-aware", with the server receiver's B OTs per weight: <paramref name="weightBits"/>,
    /// <see cref="DefaultWeightBits"/> when null), BatchNorm folded into the convolutions, truncation after ReLU.
    /// </summary>
    public static SecureInferencePolicy CoPriv(int ringBits = FixedPointPolicy.DefaultRingBits, int scale = FixedPointPolicy.DefaultScale,
        OtBackend? ot = null, int? weightBits = null) =>
        WithWinograd(CoPrivName, WinogradRingConvolution.F2x2, ringBits, scale, ot ?? OtBackend.Iknp,
            weightBits ?? DefaultWeightBits(ringBits, scale));

    /// <summary>
    /// <see cref="CoPriv"/> with Winograd F(4×4, 3×3) (10 extra scale bits, rounded weight transform) for the stride-1
    /// 3×3 convolutions: the larger tile's what-if, up to 4× fewer OT bytes per eligible layer. Needs ℓ ≥ 2s + 12.
    /// Stride-2 3×3 convolutions run on the same exact polyphase algorithm as in <see cref="CoPriv"/>.
    /// </summary>
    /// <remarks>
    /// F(4×4,3×3)'s weight transform adds its extra scale bits e (10) and more to the weights, so its default B is ℓ
    /// (no reduction) unless <paramref name="weightBits"/> says otherwise.
    /// </remarks>
    public static SecureInferencePolicy CoPrivF4(int ringBits = FixedPointPolicy.DefaultRingBits, int scale = FixedPointPolicy.DefaultScale,
        OtBackend? ot = null, int? weightBits = null) =>
        WithWinograd(CoPrivF4Name, WinogradRingConvolution.F4x4, ringBits, scale, ot ?? OtBackend.Iknp, weightBits ?? ringBits);

    private static SecureInferencePolicy WithWinograd(string name, WinogradRingConvolution winograd, int ringBits, int scale, OtBackend ot,
        int weightBits)
    {
        var options = new LinearLayerOptions(new CoPriv.Protocols.Core.FixedPoint(ringBits, scale), OrientationPolicy.Cheaper)
        {
            OtBackend = ot,
            WeightBits = weightBits,
        };
        return new()
        {
            Name = name,
            FixedPoint = FixedPointPolicy.Default with
            {
                RingBits = ringBits,
                Scale = scale,
                SelectConvolution = g =>
                    winograd.Supports(g) && SendsLessThanIm2col(g, options, (shape, o) => WinogradConvolutionProtocol.CostOf(shape, winograd.Tile, o))
                        ? winograd
                    : PolyphaseRingConvolution.Instance.Supports(g) && SendsLessThanIm2col(g, options, PolyphaseConvolutionProtocol.CostOf)
                        ? PolyphaseRingConvolution.Instance
                    : DirectRingConvolution.Instance,
            },
            Orientation = OrientationPolicy.Cheaper,
            Ot = ot,
            WeightBits = weightBits,
            MillionaireRadix = LeanestRadix(ringBits),
        };
    }

    /// <summary>
    /// The millionaires' radix m of the copriv policies: of 2 … 8, the one whose ReLU sends the fewest bytes online at
    /// ℓ (a batch of 2^16, its bit triples made ahead), the larger on a tie. At ℓ = 41 that is 5: the 40 compared bits
    /// make 8 digits instead of 10, which sends fewer bytes than SCI's m = 4 (online and in total) and leaves an AND
    /// tree of 3 levels instead of 4, one flight less per comparison on the online phase's critical path. (cryptflow2
    /// keeps SCI's m = 4, byte for byte.)
    /// </summary>
    public static int LeanestRadix(int ringBits)
    {
        var ring = new CoPriv.Protocols.Core.Ring(ringBits);
        int best = 0;
        long bestBytes = long.MaxValue;
        for (int m = 2; m <= 8; m++)
        {
            long bytes = ReluProtocol.Cost(1 << 16, ring, ReluProtocol.DefaultVariant, m, TripleSource.Store).TotalBytes;
            if (bytes <= bestBytes) (best, bestBytes) = (m, bytes);
        }
        return best;
    }

    /// <summary>
    /// Whether a transform-domain algorithm sends fewer bytes on a convolution than im2col (both DNN-aware). Winograd
    /// and polyphase do on every dense layer; a depthwise layer with a small output pays more in λ terms for the
    /// transform's products of few entries per channel (16 or 25 against im2col's 9) than the transform saves
    /// (MobileNetV2's 4×4 stride-2 one).
    /// </summary>
    private static bool SendsLessThanIm2col(ConvolutionGeometry g, LinearLayerOptions options,
        Func<ConvShape, LinearLayerOptions, CoPriv.Protocols.Core.CommunicationCost> cost)
    {
        var shape = ConvolutionShapes.Of(g);
        return cost(shape, options).TotalBytes < ConvolutionProtocol.CostOf(shape, options).TotalBytes;
    }

    /// <summary>
    /// The policy of this name ("cryptflow2" or "copriv", case-insensitive); <paramref name="weightBits"/> is B of the
    /// copriv policies (their default when null; cryptflow2 never reduces).
    /// </summary>
    public static SecureInferencePolicy Parse(string name, int ringBits = FixedPointPolicy.DefaultRingBits, int scale = FixedPointPolicy.DefaultScale,
        OtBackend? ot = null, int? weightBits = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            CrypTFlow2Name => CrypTFlow2(ringBits, scale, ot),
            CoPrivName => CoPriv(ringBits, scale, ot, weightBits),
            CoPrivF4Name => CoPrivF4(ringBits, scale, ot, weightBits),
            _ => throw new ArgumentException($"unknown protocol '{name}'; known protocols: {string.Join(", ", Names)}"),
        };
    }
}
