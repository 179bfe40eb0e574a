using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Lowering;

/// <summary>
/// A model lowered to fixed point: a list of <see cref="RingOperation"/>s over Z_{2^ℓ}, in execution order, from the
/// client's encoded image to the logits (and the argmax when the policy appends it). The secure engine runs it
/// operation by operation on shares; <see cref="FixedPointReferenceExecutor"/> runs it in the clear, bit for bit the
/// result the secure run must reconstruct. The server holds the program with its parameters; the client gets
/// <see cref="WithoutParameters"/> (same structure, all parameters zero) and encodes its image with
/// <see cref="EncodeInput"/>.
/// </summary>
public sealed class LoweredProgram
{
    internal LoweredProgram(string modelName, FixedPointPolicy policy, string inputName, TensorShape inputShape,
        IReadOnlyList<RingOperation> operations, string logitsName, bool hasParameters)
    {
        ModelName = modelName;
        Policy = policy;
        InputName = inputName;
        InputShape = inputShape;
        Operations = operations;
        LogitsName = logitsName;
        HasParameters = hasParameters;
        var last = operations[^1];
        Output = last.Output;
        OutputShape = last.OutputShape;
        OutputScale = last.OutputScale;
        LogitsScale = operations.Last(o => o.Output == logitsName).OutputScale;
    }

    public string ModelName { get; }
    public FixedPointPolicy Policy { get; }
    public Ring Ring => Policy.Ring;

    /// <summary>s: the scale of the input and of every activation a product reads.</summary>
    public int Scale => Policy.Scale;

    public string InputName { get; }
    public TensorShape InputShape { get; }
    public int InputScale => Policy.Scale;
    public IReadOnlyList<RingOperation> Operations { get; }

    /// <summary>The last operation's output: the argmax index, or the logits when the policy appends no argmax.</summary>
    public string Output { get; }

    public TensorShape OutputShape { get; }
    public int OutputScale { get; }

    /// <summary>The logits tensor and its scale (2s when the last layer is an untruncated product).</summary>
    public string LogitsName { get; }

    public int LogitsScale { get; }

    /// <summary>False for the client's view, whose parameters are all zero.</summary>
    public bool HasParameters { get; }

    /// <summary>The client's view: the same operations, shapes and scales, with every server parameter zero.</summary>
    public LoweredProgram WithoutParameters() =>
        new(ModelName, Policy, InputName, InputShape, Operations.Select(o => o.WithoutParameters()).ToArray(), LogitsName, false);

    /// <summary>The client encodes its (normalised) image: round(v·2^s) mod 2^ℓ.</summary>
    public RingTensor EncodeInput(Tensor image)
    {
        if (image.Shape != InputShape)
            throw new ArgumentException($"model '{ModelName}' takes an input of shape {InputShape}, got {image.Shape}", nameof(image));
        return RingTensor.Encode(image, Ring, InputScale);
    }

    public IEnumerable<T> OperationsOf<T>() where T : RingOperation => Operations.OfType<T>();
}
