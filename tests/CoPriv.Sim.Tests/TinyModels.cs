using CoPriv.Inference.Planning;
using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;
using CoPriv.Network;
using CoPriv.Network.Simulation;

namespace CoPriv.Sim.Tests;

/// <summary>Models and requests small enough to run, and to emulate over a WAN, in a few seconds.</summary>
internal static class TinyModels
{
    /// <summary>conv 3→4 3×3 (Winograd under CoPriv) → ReLU → flatten → FC → 4 classes, on 3×6×6.</summary>
    public static ModelGraph ConvReluFc(ulong seed = 5)
    {
        var rng = new SeededRandom(seed);
        var b = new GraphBuilder("x", TensorShape.FeatureMap(3, 6, 6));
        string t = b.Add("conv", new Convolution(3, 4, 3, 3, rng.Gaussian(4 * 27, 0.4), rng.Gaussian(4, 0.1),
            padding: Padding2d.Symmetric(1)), "x");
        t = b.Add("relu", Relu.Instance, t);
        t = b.Add("flatten", Flatten.Instance, t);
        t = b.Add("fc", new FullyConnected(4 * 36, 4, rng.Gaussian(4 * 144, 0.2), rng.Gaussian(4, 0.1)), t);
        return b.Build("tiny", "conv-relu-fc test model", t);
    }

    public static SimulationRequest Request(string protocol, string network, NetworkMode mode = NetworkMode.Simulate,
        ComputeTimer timer = ComputeTimer.ThreadCpu, string? preprocess = null, string? jitter = null) => new()
    {
        Spec = RunSpec.Resolve(new RunSpecSource("test") { Model = "tiny", Protocol = protocol, Preprocess = preprocess }),
        Protocols = [protocol],
        Networks = [NetworkSettings.Parse(network, mode: mode.ToString(), jitter: jitter)],
        Timer = timer,
        SessionTimeout = TimeSpan.FromMinutes(2),
    };
}
