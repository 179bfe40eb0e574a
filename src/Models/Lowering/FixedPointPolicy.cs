using CoPriv.Models.Graph;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Lowering;

/// <summary>
/// How a model is turned into fixed-point ring operations. Values live in Z_{2^ℓ} (<see cref="RingBits"/>) with
/// scale s (<see cref="Scale"/>); weights are encoded at scale s, and a product of an s-scaled activation and
/// s-scaled weights is 2s-scaled, its bias encoded at that scale. Truncations (exact signed floor(x / 2^k)) bring
/// values back to scale s:
/// <list type="bullet">
/// <item><see cref="TruncateAfterRelu"/> = false: right after each convolution, fully connected or BatchNorm product
/// (plus bias);</item>
/// <item><see cref="TruncateAfterRelu"/> = true (SCI's choice): a product's output stays at the higher scale until
/// the next ReLU, which runs on it, and the truncation follows the ReLU (whose output is known non-negative, which
/// makes the truncation cheaper); values no ReLU reaches are truncated where an operator needs scale s.</item>
/// </list>
/// With BatchNorm kept separate, <see cref="TruncateBeforeBatchNorm"/> = false lets the BatchNorm multiply the 2s
/// convolution output directly (3s), exactly SCI's sequence conv → bias → BN → ReLU → truncation, with one
/// truncation (by 2s) per ReLU. The final logits keep whatever scale they have (recorded in the program).
/// </summary>
public sealed record FixedPointPolicy
{
    /// <summary>SCI's CIFAR setting, the default of every command: ℓ = 41.</summary>
    public const int DefaultRingBits = 41;

    /// <summary>SCI's CIFAR setting: s = 11.</summary>
    public const int DefaultScale = 11;

    public int RingBits { get; init; } = DefaultRingBits;
    public int Scale { get; init; } = DefaultScale;
    public BatchNormLowering BatchNorm { get; init; } = BatchNormLowering.FoldIntoConvolution;
    public bool TruncateAfterRelu { get; init; } = true;
    public bool TruncateBeforeBatchNorm { get; init; } = true;

    /// <summary>End the program with an argmax, so the client learns only the predicted class.</summary>
    public bool AppendArgMax { get; init; } = true;

    /// <summary>The cleartext algorithm (and so the secure protocol it stands for) of each convolution.</summary>
    public Func<ConvolutionGeometry, IRingConvolution> SelectConvolution { get; init; } = _ => DirectRingConvolution.Instance;

    public Ring Ring => new(RingBits);

    /// <summary>ℓ = 41, s = 11, BatchNorm folded, truncation after ReLU, im2col convolutions.</summary>
    public static FixedPointPolicy Default { get; } = new();

    /// <summary>SCI's CrypTFlow2 inference: BatchNorm as element-wise product on the raw convolution output,
    /// truncation after ReLU (ℓ = 41, s = 11).</summary>
    public static FixedPointPolicy CrypTFlow2 { get; } = new()
    {
        BatchNorm = BatchNormLowering.ElementwiseProduct,
        TruncateAfterRelu = true,
        TruncateBeforeBatchNorm = false,
    };

    internal void Validate()
    {
        CheckFormat(RingBits, Scale);
        ArgumentNullException.ThrowIfNull(SelectConvolution);
    }

    /// <summary>
    /// The one rule for a fixed-point format, wherever ℓ and s come from: 8 ≤ ℓ ≤ 64 and 1 ≤ s with 2s &lt; ℓ (a product
    /// of two s-scaled values must fit before its truncation).
    /// </summary>
    /// <exception cref="ArgumentException">One line naming the value that breaks the rule.</exception>
    public static void CheckFormat(int ringBits, int scale)
    {
        if (ringBits is < 8 or > 64)
            throw new ArgumentException($"ring bits ℓ must be between 8 and 64, got {ringBits}");
        if (scale < 1 || 2 * scale >= ringBits)
            throw new ArgumentException($"scale s = {scale} must be at least 1 and leave 2s < ℓ = {ringBits}");
    }
}
