using CoPriv.Inference.Parties;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Graph;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tests;
using CoPriv.Protocols.Channels;

namespace CoPriv.Inference.Tests;

/// <summary>
/// Pre-processing ahead: every linear layer's OTs on the client's masks and every comparison's bit triples run in the
/// setup step, before any layer; the layers then send online traffic only, the outputs stay bit-exact and the cost
/// model (which books each operation's triples to it as pre-processing) still equals the meters.
/// </summary>
public class PreprocessAheadTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "tiny", "cryptflow2" }, { "tiny", "copriv" },
        { "pooling-relu6", "cryptflow2" }, { "pooling-relu6", "copriv" },
        { "wide", "copriv" },
        { "shortcuts", "cryptflow2" }, { "shortcuts", "copriv" },
    };

    private static ModelGraph Model(string name) => name switch
    {
        "tiny" => TestModels.Tiny(),
        "pooling-relu6" => SecureTestModels.PoolingAndRelu6(),
        "wide" => SecureTestModels.WideActivations(),
        "shortcuts" => SecureTestModels.ShortcutsPoolsAndSignUnknownTruncation(),
        _ => throw new ArgumentException(name),
    };

    private sealed record Run(SecureInferenceResult Result, long[] PreprocessingAfterSetup);

    private static Run RunParties(ModelGraph model, string protocol, PreprocessMode mode, ulong seed = 21)
    {
        var policy = SecureInferencePolicy.Parse(protocol) with { Preprocess = mode };
        var program = FixedPointLowering.Lower(model, policy.FixedPoint);
        var input = program.EncodeInput(TestModels.RandomImage(model.InputShape, seed));
        var options = new InferenceOptions { Seed = seed, Retention = ShareRetention.All };
        var session = new SecureInferenceSession(SecureInferencePlan.Create(program, policy), program, input, options);
        var afterSetup = new long[2];
        bool Party(PartyInference party, IChannel channel)
        {
            party.RunSetup(channel);
            afterSetup[(int)party.Role] = PreprocessingSent(channel.Meter);
            party.RunRemainingLayers();
            return true;
        }
        var (s, c) = InMemoryChannel.CreatePair();
        var run = TwoPartyRunner.Run(s, c, ch => Party(session.Server, ch), ch => Party(session.Client, ch));
        return new Run(session.Complete(run.ServerMeter, run.ClientMeter), afterSetup);
    }

    private static long PreprocessingSent(TrafficMeter meter) =>
        meter.Snapshot().Where(r => r.Phase == Phase.Preprocessing).Sum(r => r.BytesSent);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ahead_the_run_is_exact_and_every_preprocessing_byte_crosses_in_the_setup_step(string model, string protocol)
    {
        var (result, afterSetup) = RunParties(Model(model), protocol, PreprocessMode.Ahead);
        SecureInferenceTests.AssertExact(result);
        Assert.Equal("ahead", result.Report.Preprocess);
        Assert.True(afterSetup[0] + afterSetup[1] > 0, "nothing was pre-processed in the setup step");
        Assert.Equal(PreprocessingSent(result.ServerMeter), afterSetup[0]);
        Assert.Equal(PreprocessingSent(result.ClientMeter), afterSetup[1]);
        Assert.Equal(result.Report.Traffic.PreprocessingBytes, afterSetup[0] + afterSetup[1]);
    }

    [Theory]
    [InlineData("cryptflow2")]
    [InlineData("copriv")]
    public void Ahead_the_comparisons_triples_leave_the_online_phase_and_each_operation_keeps_its_own_bytes(string protocol)
    {
        var model = SecureTestModels.ShortcutsPoolsAndSignUnknownTruncation();
        var ahead = RunParties(model, protocol, PreprocessMode.Ahead).Result.Report;
        var inline = RunParties(model, protocol, PreprocessMode.Inline).Result.Report;
        Assert.Equal("inline", inline.Preprocess);
        Assert.True(ahead.Traffic.OnlineBytes < inline.Traffic.OnlineBytes,
            $"online {ahead.Traffic.OnlineBytes} B ahead, {inline.Traffic.OnlineBytes} B inline");
        var operators = ahead.Layers.SelectMany(l => l.Operators.Select(o => (Layer: l.Name, Op: o)))
            .Zip(inline.Layers.SelectMany(l => l.Operators));
        foreach (var ((layer, a), i) in operators)
        {
            if (a.Category == Reports.OperatorCategory.Linear || a.Category == Reports.OperatorCategory.BatchNorm)
            {
                // A linear layer pre-processed ahead sends exactly what it sends inline, phase by phase.
                Assert.Equal(i.Measured, a.Measured);
            }
            else if (i.Measured!.PreprocessingBytes == 0 && i.Measured.OnlineBytes > 0 && a.Measured!.PreprocessingBytes > 0)
            {
                // A comparison's triples moved to pre-processing, made in one batch per call: online shrinks by them.
                Assert.True(a.Measured.OnlineBytes < i.Measured.OnlineBytes, $"{layer}/{a.Name}: online {a.Measured.OnlineBytes} B ahead ({a.Measured.PreprocessingBytes} B pre-processing), {i.Measured.OnlineBytes} B inline");
            }
        }
    }

    [Fact]
    public void Ahead_each_party_reports_what_it_holds_until_the_online_phase_and_inline_reports_nothing()
    {
        var model = SecureTestModels.ShortcutsPoolsAndSignUnknownTruncation();
        var ahead = RunParties(model, "copriv", PreprocessMode.Ahead).Result;
        // The client holds at least one mask element (8 bytes) per input element of every linear operation: as many
        // as its online flight re-shares, ℓ bits each.
        int ell = ahead.Client.Plan.Policy.RingBits;
        long masks = 8L * ahead.Client.Plan.Layers.SelectMany(l => l.Operators)
            .Where(o => o.Category is Reports.OperatorCategory.Linear or Reports.OperatorCategory.BatchNorm)
            .Sum(o => o.Predicted.OnlineClientToServer * 8 / ell);
        Assert.True(ahead.Client.PreprocessedBytes >= masks, $"client holds {ahead.Client.PreprocessedBytes} B, its masks alone are {masks} B");
        Assert.True(ahead.Server.PreprocessedBytes > 0);
        Assert.Equal((ahead.Server.PreprocessedBytes, ahead.Client.PreprocessedBytes),
            (ahead.Report.ServerPreprocessedBytes, ahead.Report.ClientPreprocessedBytes));
        Assert.NotNull(ahead.Report.PreprocessingSeconds);

        var inline = RunParties(model, "copriv", PreprocessMode.Inline).Result;
        Assert.Equal((0L, 0L), (inline.Server.PreprocessedBytes, inline.Client.PreprocessedBytes));
        Assert.Null(inline.Report.PreprocessingSeconds);
        Assert.Null(inline.Report.ClientPreprocessedBytes);
    }

    [Fact]
    public void Parties_that_disagree_on_the_mode_stop_at_the_plan_check()
    {
        var model = TestModels.Tiny();
        var ahead = SecureInferencePolicy.Parse("copriv") with { Preprocess = PreprocessMode.Ahead };
        var program = FixedPointLowering.Lower(model, ahead.FixedPoint);
        var serverPlan = SecureInferencePlan.Create(program, ahead);
        var clientPlan = SecureInferencePlan.Create(program, ahead with { Preprocess = PreprocessMode.Inline });
        var server = new ServerInference(serverPlan, program);
        var client = new ClientInference(clientPlan, program.EncodeInput(TestModels.RandomImage(model.InputShape, 3)));
        var error = Assert.ThrowsAny<Exception>(() => TwoPartyRunner.Run(ch => { server.RunSetup(ch); return 0; }, ch => { client.RunSetup(ch); return 0; }));
        Assert.Contains("another plan", error.Message);
    }
}
