namespace CoPriv.Models.Optimization;

/// <summary>
/// One gated part of a network: the activation nodes that one gate keeps or removes together, the linear nodes
/// around them, the one tensor it reads from the rest of the graph and the one it writes for it. Public
/// architecture: names and structure only, no weights.
/// </summary>
/// <param name="Id">The block's name: "stem", "head", or the zoo's node prefix ("b5", "s2b1").</param>
/// <param name="Kind">Which shape of block it is.</param>
/// <param name="ActivationNodes">The ReLU/ReLU6 nodes of the block, in graph order (none once linearized).</param>
/// <param name="LinearNodes">Every other node of the block, in graph order.</param>
/// <param name="Input">The tensor the block reads from outside.</param>
/// <param name="Output">The tensor the rest of the graph reads from the block.</param>
/// <param name="HasResidual">Whether the block ends by adding its input (or its shortcut) back; false for a merged block,
/// whose convolution carries the identity on its centre tap instead.</param>
public sealed record ActivationBlock(
    string Id,
    ActivationBlockKind Kind,
    IReadOnlyList<string> ActivationNodes,
    IReadOnlyList<string> LinearNodes,
    string Input,
    string Output,
    bool HasResidual)
{
    /// <summary>True when the block's activations have been removed.</summary>
    public bool IsLinear => ActivationNodes.Count == 0;
}
