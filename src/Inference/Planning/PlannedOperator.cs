using CoPriv.Inference.Reports;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Planning;

/// <summary>
/// One operator of a planned layer: its name in the layer (the traffic meter's operator scope), the ring operation
/// it runs, its category, the protocol, its output, and the exact traffic the cost model predicts for it.
/// </summary>
public sealed record PlannedOperator(
    string Name,
    string Kind,
    OperatorCategory Category,
    string Protocol,
    string Output,
    TensorShape OutputShape,
    int OutputScale,
    CommunicationCost Predicted)
{
    /// <summary>
    /// The public bit-width B of the server's operand of a linear operator (its OT choices per weight when the server
    /// receives); null for the other operators.
    /// </summary>
    public int? WeightBits { get; init; }
}
