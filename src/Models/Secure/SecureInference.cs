using System.Diagnostics;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Models.Secure;

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
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        var server = new ServerInference(program, policy, options);
        var client = new ClientInference(server.Plan, input, options);
        var (serverChannel, clientChannel) = channels?.Invoke() ?? InMemoryChannel.CreatePair();
        var run = TwoPartyRunner.Run(serverChannel, clientChannel,
            channel => Run(server, channel),
            channel => Run(client, channel));

        var report = InferenceReportBuilder.SecureRun(server.Plan, run.ServerMeter, run.ClientMeter, server, client);
        FixedPointRun? reference = null;
        if (checkReference)
        {
            reference = FixedPointReferenceExecutor.Run(program, input);
            var mismatch = FirstMismatch(program, server, client, reference, options?.Retention ?? ShareRetention.Output);
            report = report with
            {
                ReferenceClass = reference.Prediction,
                MatchesReference = mismatch is null,
                Warnings = mismatch is null ? report.Warnings : [.. report.Warnings, mismatch],
            };
        }
        using var process = Process.GetCurrentProcess();
        report = report with { PredictedClass = client.PredictedClass, PeakMemoryBytes = process.PeakWorkingSet64 };
        return new SecureInferenceResult(report, client.PredictedClass, server, client, run.ServerMeter, run.ClientMeter, reference);
    }

    private static bool Run(PartyInference party, IChannel channel)
    {
        party.RunSetup(channel);
        party.RunRemainingLayers();
        return true;
    }

    /// <summary>The first tensor whose reconstruction differs from the reference, described; null when all agree.</summary>
    private static string? FirstMismatch(LoweredProgram program, PartyInference server, PartyInference client, FixedPointRun reference,
        ShareRetention retention)
    {
        var ring = program.Ring;
        var tensors = retention == ShareRetention.All
            ? program.Operations.Select(o => o.Output).Prepend(program.InputName)
            : [program.LogitsName, program.Output];
        foreach (var tensor in tensors.Distinct())
        {
            var expected = reference.Values[tensor].Data;
            var s = server.ShareOf(tensor);
            var c = client.ShareOf(tensor);
            for (int i = 0; i < expected.Length; i++)
            {
                ulong actual = ring.Add(s[i], c[i]);
                if (actual != expected[i])
                    return $"tensor '{tensor}' differs from the reference at element {i}: {ring.ToSigned(actual)} instead of {ring.ToSigned(expected[i])}";
            }
        }
        return null;
    }
}
