using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CoPriv.Inference.Planning;
using CoPriv.Inference.Sessions;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Benchmarks;

/// <summary>
/// The whole secure inference of `copriv run`: both parties in this process, each on its own thread, over an
/// in-memory channel, base OTs included (about half a second), no reference check. One run takes seconds, so each
/// is measured once (monitoring strategy) after one warm-up run. SCI's ResNet-32 baseline on this kind of machine:
/// 27.2 s with one thread per party.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private LoweredProgram _program = null!;
    private RingTensor _input = null!;
    private SecureInferencePolicy _policy = null!;

    [Params("resnet32-sci")]
    public string Model { get; set; } = "resnet32-sci";

    [Params("cryptflow2", "copriv")]
    public string Protocol { get; set; } = "cryptflow2";

    [GlobalSetup]
    public void Setup()
    {
        _policy = SecureInferencePolicy.Parse(Protocol);
        var model = ModelZoo.Create(Model);
        _program = FixedPointLowering.Lower(model, _policy.FixedPoint);
        _input = _program.EncodeInput(InputImages.Random(model.InputShape, 1).Image);
    }

    [Benchmark]
    public int SecureInferenceRun()
    {
        var result = SecureInference.RunInProcess(_program, _input, _policy,
            new InferenceOptions { ConcurrentOtDirections = true }, checkReference: false);
        if (result.Report.PredictionExact != true)
            throw new InvalidOperationException("the run's traffic differs from the cost model: " + string.Join("; ", result.Report.Warnings));
        return result.PredictedClass;
    }
}
