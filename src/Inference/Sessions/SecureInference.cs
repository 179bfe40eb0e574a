using CoPriv.Inference.Planning;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// Runs both parties of a secure inference in this process, each on its own thread, over an in-memory channel pair
/// or channels the caller makes (a simulated or emulated link), and reports the run; by default it also runs the
/// fixed-point reference executor on the same program and input and checks the reconstructed outputs against it bit
/// for bit (something only an in-process run can do: it needs both parties' shares).
/// </summary>
public static class SecureInference
{
    /// <summary>Lowers the model under the policy, encodes the image and runs both parties.</summary>
    public static SecureInferenceResult RunInProcess(ModelGraph model, Tensor image, SecureInferencePolicy policy,
        InferenceOptions? options = null, Func<(IChannel Server, IChannel Client)>? channels = null, bool checkReference = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(policy);
        var program = FixedPointLowering.Lower(model, policy.FixedPoint);
        return RunInProcess(program, program.EncodeInput(image), policy, options, channels, checkReference);
    }

    /// <summary>
    /// Runs the server on <paramref name="program"/> (lowered under <paramref name="policy"/>, with its weights) and the
    /// client on <paramref name="input"/>; <paramref name="channels"/> makes the (server, client) channel ends.
    /// </summary>
    public static SecureInferenceResult RunInProcess(LoweredProgram program, RingTensor input, SecureInferencePolicy policy,
        InferenceOptions? options = null, Func<(IChannel Server, IChannel Client)>? channels = null, bool checkReference = true)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(policy);
        return RunInProcess(SecureInferencePlan.Create(program, policy), program, input, options, channels, checkReference);
    }

    /// <summary>The same with a plan made earlier from <paramref name="program"/> (plans are reusable across runs).</summary>
    public static SecureInferenceResult RunInProcess(SecureInferencePlan plan, LoweredProgram program, RingTensor input,
        InferenceOptions? options = null, Func<(IChannel Server, IChannel Client)>? channels = null, bool checkReference = true)
    {
        var session = new SecureInferenceSession(plan, program, input, options);
        var (serverChannel, clientChannel) = channels?.Invoke() ?? InMemoryChannel.CreatePair();
        var run = TwoPartyRunner.Run(serverChannel, clientChannel, session.RunServer, session.RunClient);
        return session.Complete(run.ServerMeter, run.ClientMeter, checkReference);
    }
}
