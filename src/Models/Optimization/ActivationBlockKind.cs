namespace CoPriv.Models.Optimization;

/// <summary>What shape of network part an <see cref="ActivationBlock"/> is; the merge pass rewrites only some kinds.</summary>
public enum ActivationBlockKind
{
    /// <summary>The unprefixed layers before the first block (MobileNetV2's and the ResNets' conv1/bn1/relu1).</summary>
    Stem,

    /// <summary>MobileNetV2's bN: optional expand 1×1 + BN, depthwise k×k + BN, project 1×1 + BN, optional residual Add;
    /// its expand_relu and dw_relu share one gate.</summary>
    InvertedResidual,

    /// <summary>A ResNet basic block sN bM: two convolutions with their BNs, a shortcut, the Add; relu1 and relu2 share one gate.</summary>
    BasicBlock,

    /// <summary>What <see cref="InvertedResidualMerging"/> leaves of a linearized inverted-residual block: one dense
    /// convolution, the border's bias map when it is not zero, and the ReLU6 when the pass appends one.</summary>
    Merged,

    /// <summary>The unprefixed layers after the last block up to the pooling (MobileNetV2's conv2/bn2/relu2).</summary>
    Head,
}
