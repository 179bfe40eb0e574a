using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Planning;

/// <summary>
/// One layer of a plan: the operations that implement one node of the model (a convolution; a ReLU and the
/// truncation after it; …), run one after the other by both parties. <see cref="Name"/> (<c>layer-07-conv3x3</c>)
/// is the traffic meter's layer scope; <see cref="StepName"/> (<c>conv3x3</c>) is what an actor step is called.
/// </summary>
public sealed record PlannedLayer(int Index, string Name, string StepName, string Node, IReadOnlyList<PlannedOperator> Operators)
{
    /// <summary>The sum of the operators' predicted traffic.</summary>
    public CommunicationCost Predicted => Operators.Aggregate(CommunicationCost.Zero, (sum, o) => sum + o.Predicted);
}
