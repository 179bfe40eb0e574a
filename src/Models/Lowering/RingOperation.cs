using CoPriv.Models.Tensors;

namespace CoPriv.Models.Lowering;

/// <summary>
/// One step of a <see cref="LoweredProgram"/>: reads named ring tensors and writes one, with exact semantics over
/// Z_{2^ℓ} that the <see cref="FixedPointReferenceExecutor"/> implements in the clear and the secure engine on
/// additive shares. <see cref="SourceNode"/> names the graph node it implements (several operations may share one,
/// e.g. a ReLU and the truncation after it). Parameters (weights, biases, BatchNorm multipliers) belong to the server.
/// </summary>
public abstract class RingOperation
{
    private protected RingOperation(string name, string sourceNode, IReadOnlyList<string> inputs, string output,
        TensorShape outputShape, int outputScale)
    {
        Name = name;
        SourceNode = sourceNode;
        Inputs = inputs.ToArray();
        Output = output;
        OutputShape = outputShape;
        OutputScale = outputScale;
    }

    public string Name { get; }
    public string SourceNode { get; }
    public IReadOnlyList<string> Inputs { get; }
    public string Output { get; }
    public TensorShape OutputShape { get; }

    /// <summary>Fixed-point scale (bits) of the output.</summary>
    public int OutputScale { get; }

    public abstract string Kind { get; }

    /// <summary>True when each party computes its output share from its input shares alone (no communication).</summary>
    public virtual bool IsLocal => false;

    /// <summary>The same operation with every server parameter replaced by zeros: the client's view.</summary>
    public virtual RingOperation WithoutParameters() => this;

    public override string ToString() =>
        $"{Name}: {Kind}({string.Join(", ", Inputs)}) → {Output} {OutputShape} @2^-{OutputScale}";
}
