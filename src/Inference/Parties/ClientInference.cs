using CoPriv.Inference.Planning;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Parties;

/// <summary>
/// The client's side of a secure inference: it holds the encoded image (its share of the input; the server's is
/// zero) and the public plan, and it learns the predicted class and nothing else about the model.
/// </summary>
public sealed class ClientInference : PartyInference
{
    private readonly ulong[] _input;

    /// <summary>The client's side for an image (normalised as the model expects), encoded at the plan's scale.</summary>
    public ClientInference(SecureInferencePlan plan, Tensor image, InferenceOptions? options = null)
        : this(plan, EncodeFor(plan, image), options) { }

    /// <summary>The client's side for an already encoded input (shape and scale of the plan).</summary>
    public ClientInference(SecureInferencePlan plan, RingTensor input, InferenceOptions? options = null)
        : base(PartyRole.Client, plan, RequireArgMax(plan).Program, options)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape != plan.InputShape || input.ScaleBits != plan.Program.InputScale)
            throw new ArgumentException(
                $"model '{plan.ModelName}' takes an input of shape {plan.InputShape} at scale {plan.Program.InputScale}, got {input.Shape} at scale {input.ScaleBits}",
                nameof(input));
        _input = (ulong[])input.Data.Clone();
    }

    /// <summary>The class the model predicts, which the final argmax revealed to the client.</summary>
    public int PredictedClass => IsComplete
        ? (int)ShareOf(Plan.Program.Output)[0]
        : throw new InvalidOperationException($"the prediction is known after the last layer; {CompletedLayers} of {Plan.Layers.Count} have run");

    private protected override ulong[] InputShare() => (ulong[])_input.Clone();

    private static RingTensor EncodeFor(SecureInferencePlan plan, Tensor image)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(image);
        return plan.Program.EncodeInput(image);
    }

    private static SecureInferencePlan RequireArgMax(SecureInferencePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Program.Operations[^1] is not RingArgMax)
            throw new ArgumentException(
                $"the plan of '{plan.ModelName}' does not end with an argmax: the client must learn only the class (lower with AppendArgMax)");
        return plan;
    }
}
