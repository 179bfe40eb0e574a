using CoPriv.Inference.Planning;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;

namespace CoPriv.Inference.Tests;

public class RunSpecTests
{
    private static RunSpec Spec(string protocol = "copriv", int? ell = null) =>
        RunSpec.Resolve(new RunSpecSource("test") { Model = "minionn", Protocol = protocol, RingBits = ell });

    [Fact]
    public void Unset_fields_take_the_one_default_of_the_code()
    {
        var spec = Spec();
        Assert.Equal((FixedPointPolicy.DefaultRingBits, FixedPointPolicy.DefaultScale, 1.0, "iknp"), (spec.RingBits, spec.Scale, spec.Width, spec.Ot));
    }

    [Fact]
    public void Later_sources_win_field_by_field()
    {
        var hocon = new RunSpecSource("hocon") { Model = "resnet32", Protocol = "cryptflow2", RingBits = 40, Scale = 12 };
        var environment = RunSpecSource.FromEnvironment(name => name == RunSpecSource.Variables.RingBits ? "37" : null);
        var commandLine = new RunSpecSource("command line") { Protocol = "copriv" };
        var spec = RunSpec.Resolve(hocon, environment, commandLine);
        Assert.Equal(("resnet32", "copriv", 37, 12), (spec.Model, spec.Protocol, spec.RingBits, spec.Scale));
    }

    [Theory]
    [InlineData(8, 11, "scale s = 11 must be at least 1 and leave 2s < ℓ = 8")]
    [InlineData(65, 11, "ring bits ℓ must be between 8 and 64, got 65")]
    [InlineData(41, 0, "scale s = 0 must be at least 1 and leave 2s < ℓ = 41")]
    public void An_impossible_format_is_one_line_naming_it_before_any_missing_field(int ell, int scale, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => RunSpec.Resolve(new RunSpecSource("cli") { RingBits = ell, Scale = scale }));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("nope", "iknp", "unknown protocol 'nope'; known protocols: cryptflow2, copriv, copriv-f4")]
    [InlineData("copriv", "silent", "unknown OT backend 'silent'; known backends: iknp, ferret")]
    public void Unknown_names_list_what_is_accepted(string protocol, string ot, string message)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            RunSpec.Resolve(new RunSpecSource("cli") { Model = "minionn", Protocol = protocol, Ot = ot }));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_ot_backend_is_chosen_through_the_spec_and_reaches_the_policy_and_the_plan()
    {
        var spec = RunSpec.Resolve(new RunSpecSource("cli") { Model = "minionn", Protocol = "copriv", Ot = "IKNP" });
        Assert.Equal("iknp", spec.Ot);
        Assert.Same(CoPriv.Protocols.Ot.OtBackend.Iknp, spec.Policy().Ot);
        var plan = SecureInferencePlan.ForModel(ModelZoo.Create("minionn", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0)), spec);
        Assert.Equal(2 * (SecureInferencePlan.FingerprintBytes + CoPriv.Protocols.Ot.OtBackend.Iknp.Costs.SetupBytesPerParty), plan.PredictedSetupBytes);
    }

    [Fact]
    public void A_malformed_environment_variable_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => RunSpecSource.FromEnvironment(name => name == RunSpecSource.Variables.Scale ? "eleven" : null));
        Assert.Equal("COPRIV_SCALE='eleven' is not an integer", error.Message);
    }

    [Fact]
    public void Parameters_round_trip_and_a_tampered_field_breaks_the_fingerprint()
    {
        var spec = Spec();
        Assert.Equal(spec, RunSpec.FromParameters(spec.ToParameters()));
        var tampered = new Dictionary<string, string>(spec.ToParameters()) { [RunSpec.Keys.RingBits] = "40" };
        Assert.Contains("does not match its fields", Assert.Throws<ArgumentException>(() => RunSpec.FromParameters(tampered)).Message);
        var missing = new Dictionary<string, string>(spec.ToParameters());
        missing.Remove(RunSpec.Keys.Scale);
        Assert.Equal("the run spec has no 'scale'", Assert.Throws<ArgumentException>(() => RunSpec.FromParameters(missing)).Message);
    }

    [Fact]
    public void The_difference_between_two_specs_names_each_field()
    {
        Assert.Null(Spec().DifferenceFrom(Spec()));
        Assert.Equal("protocol: copriv here, cryptflow2 there; ell: 41 here, 40 there", Spec().DifferenceFrom(Spec("cryptflow2", 40)));
    }

    [Fact]
    public void The_spec_is_part_of_the_plan_fingerprint()
    {
        var model = ModelZoo.Create("minionn", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        var spec = Spec();
        var plan = SecureInferencePlan.ForModel(model, spec);
        var sameOps = SecureInferencePlan.Create(plan.Program, spec.Policy());
        Assert.Same(spec, plan.Spec);
        Assert.NotEqual(plan.Fingerprint, sameOps.Fingerprint);
        Assert.Equal(plan.Fingerprint, SecureInferencePlan.ForModel(model, spec).Fingerprint);
    }

    [Fact]
    public void A_server_rebuilds_the_clients_plan_from_the_request_and_refuses_another_spec_or_architecture()
    {
        var model = ModelZoo.Create("minionn", new ZooOptions(WidthMultiplier: 0.25, CalibrationSamples: 0));
        var clientPlan = SecureInferencePlan.ForModel(model, Spec());
        var request = InferenceSessionPlan.RequestParameters(clientPlan);
        var (serverPlan, program) = InferenceSessionPlan.ServerPlan(model, request);
        Assert.Equal(clientPlan.Fingerprint, serverPlan.Fingerprint);
        Assert.True(program.HasParameters);

        var wider = ModelZoo.Create("minionn", new ZooOptions(WidthMultiplier: 0.5, CalibrationSamples: 0));
        Assert.Contains("differs from this server's", Assert.Throws<ArgumentException>(() => InferenceSessionPlan.ServerPlan(wider, request)).Message);
        Assert.Equal("the client's run spec differs from this server's: protocol: cryptflow2 here, copriv there",
            Assert.Throws<ArgumentException>(() => InferenceSessionPlan.ServerPlan(model, request, Spec("cryptflow2"))).Message);
    }

    [Fact]
    public void Preprocessing_is_ahead_by_default_and_every_source_can_say_inline()
    {
        Assert.Equal(PreprocessMode.Ahead, Spec().Preprocess);
        Assert.Equal(PreprocessMode.Ahead, Spec().Policy().Preprocess);
        var environment = RunSpecSource.FromEnvironment(name => name == RunSpecSource.Variables.Preprocess ? "Inline" : null);
        var spec = RunSpec.Resolve(new RunSpecSource("test") { Model = "minionn", Protocol = "copriv" }, environment);
        Assert.Equal(PreprocessMode.Inline, spec.Preprocess);
        Assert.Equal(PreprocessMode.Inline, spec.Policy().Preprocess);
        Assert.Equal(PreprocessMode.Inline, spec.WithProtocol("cryptflow2").Preprocess);
        Assert.Equal(PreprocessMode.Inline, RunSpec.FromParameters(spec.ToParameters()).Preprocess);
        Assert.Equal("preprocess: ahead here, inline there", Spec().DifferenceFrom(spec));
        Assert.NotEqual(Spec().Fingerprint, spec.Fingerprint);
    }

    [Fact]
    public void An_unknown_preprocessing_mode_is_one_line_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            RunSpec.Resolve(new RunSpecSource("cli") { Model = "minionn", Protocol = "copriv", Preprocess = "early" }));
        Assert.Equal("unknown pre-processing mode 'early'; expected ahead or inline", error.Message);
    }
}
