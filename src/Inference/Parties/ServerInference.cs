using CoPriv.Inference.Planning;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Parties;

/// <summary>
/// The server's side of a secure inference: it holds the lowered program with the weights, its share of the input is
/// zero, and it learns nothing (its output share of the argmax is 0; only the client learns the class).
/// </summary>
public sealed class ServerInference : PartyInference
{
    private readonly int _inputLength;

    /// <summary>The server's side for its lowered program under the policy it was lowered with.</summary>
    public ServerInference(LoweredProgram program, SecureInferencePolicy policy, InferenceOptions? options = null)
        : this(SecureInferencePlan.Create(program, policy), program, options) { }

    public ServerInference(SecureInferencePlan plan, LoweredProgram program, InferenceOptions? options = null)
        : base(PartyRole.Server, plan, RequireParameters(program), options)
    {
        _inputLength = program.InputShape.ElementCount;
    }

    private protected override ulong[] InputShare() => new ulong[_inputLength];

    private static LoweredProgram RequireParameters(LoweredProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!program.HasParameters)
            throw new ArgumentException($"the server needs the program of '{program.ModelName}' with its weights, not the parameter-free view");
        return program;
    }
}
