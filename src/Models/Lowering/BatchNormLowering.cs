namespace CoPriv.Models.Lowering;

/// <summary>How BatchNorm layers become ring operations.</summary>
public enum BatchNormLowering
{
    /// <summary>Fold each BatchNorm into the convolution before it (weights and bias rescaled); a BatchNorm that
    /// does not directly follow a convolution it alone reads stays a separate element-wise product.</summary>
    FoldIntoConvolution,

    /// <summary>Keep every BatchNorm as an element-wise product by a per-channel multiplier plus a shift, as SCI's
    /// CrypTFlow2 inference runs it (an OT-based product per element).</summary>
    ElementwiseProduct,
}
