using System.Diagnostics;
using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Reports;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Protocols.Channels;

namespace CoPriv.Inference.Sessions;

/// <summary>
/// Both parties of one secure inference held in this process, as functions of their channel ends, for whichever
/// runner moves the bytes: <see cref="SecureInference.RunInProcess(SecureInferencePlan, LoweredProgram, RingTensor, InferenceOptions?, Func{ValueTuple{IChannel, IChannel}}?, bool)"/>
/// uses <see cref="TwoPartyRunner"/>; a simulator passes <see cref="RunServer"/> and <see cref="RunClient"/> to its own
/// runner (with its clocks around them) and then calls <see cref="Complete"/> with the two meters.
/// </summary>
public sealed class SecureInferenceSession
{
    private readonly LoweredProgram _program;
    private readonly RingTensor _input;

    public SecureInferenceSession(SecureInferencePlan plan, LoweredProgram program, RingTensor input, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(input);
        _program = program;
        _input = input;
        Server = new ServerInference(plan, program, options);
        Client = new ClientInference(plan, input, options);
    }

    public SecureInferencePlan Plan => Server.Plan;
    public ServerInference Server { get; }
    public ClientInference Client { get; }

    /// <summary>The server's whole run on its channel end: setup, then every layer.</summary>
    public bool RunServer(IChannel channel) => Run(Server, channel);

    /// <summary>The client's whole run on its channel end; returns the predicted class.</summary>
    public int RunClient(IChannel channel)
    {
        Run(Client, channel);
        return Client.PredictedClass;
    }

    /// <summary>
    /// The report of the finished run from both parties' meters; with <paramref name="checkReference"/> the
    /// reconstructed outputs (every tensor under <see cref="ShareRetention.All"/>) are checked bit for bit against the
    /// fixed-point reference executor on the same program and input.
    /// </summary>
    public SecureInferenceResult Complete(TrafficMeter serverMeter, TrafficMeter clientMeter, bool checkReference = true)
    {
        if (!Server.IsComplete || !Client.IsComplete)
            throw new InvalidOperationException("both parties must have run every layer before the run is reported");
        var report = InferenceReportBuilder.SecureRun(Plan, serverMeter, clientMeter, Server, Client);
        FixedPointRun? reference = null;
        if (checkReference)
        {
            reference = FixedPointReferenceExecutor.Run(_program, _input);
            var mismatch = FirstMismatch(reference);
            report = report with
            {
                ReferenceClass = reference.Prediction,
                MatchesReference = mismatch is null,
                Warnings = mismatch is null ? report.Warnings : [.. report.Warnings, mismatch],
            };
        }
        using var process = Process.GetCurrentProcess();
        report = report with { PredictedClass = Client.PredictedClass, PeakMemoryBytes = process.PeakWorkingSet64 };
        return new SecureInferenceResult(report, Client.PredictedClass, Server, Client, serverMeter, clientMeter, reference);
    }

    private static bool Run(PartyInference party, IChannel channel)
    {
        party.RunSetup(channel);
        party.RunRemainingLayers();
        return true;
    }

    /// <summary>The first tensor whose reconstruction differs from the reference, described; null when all agree.</summary>
    private string? FirstMismatch(FixedPointRun reference)
    {
        var ring = _program.Ring;
        foreach (var tensor in Server.RetainedTensors)
        {
            var expected = reference.Values[tensor].Data;
            var s = Server.ShareOf(tensor);
            var c = Client.ShareOf(tensor);
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
