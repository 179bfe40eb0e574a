using CoPriv.Models.Zoo;
using CoPriv.TestSupport;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CoPriv.Optimize.Tests;

/// <summary>
/// Training throughput (forward + backward + SGD step, images/s) of the quarter-width zoo models in each precision
/// and thread count, for src/Optimize/README.md. Wall-clock figures: heavy, and meaningful only on a quiet machine.
/// </summary>
public class TrainingThroughputMeasurement(ITestOutputHelper output)
{
    [HeavyFact]
    public void Quarter_width_zoo_models_train_at_these_rates()
    {
        foreach (var model in new[] { "resnet32", "resnet32-sci", "mobilenetv2" })
        {
            var graph = ModelZoo.Create(model, TestGraphs.QuarterWidth);
            var data = TrainingData.Generated(graph.InputShape, 512, 8);
            foreach (var precision in new[] { ScalarType.Float64, ScalarType.Float32 })
            foreach (int threads in new[] { 1, 2 })
            {
                using var session = new TrainingSession(graph, data,
                    new TrainingOptions { BatchSize = 64, Precision = precision, Threads = threads, EvaluateEveryEpoch = false }, null, default);
                using var weights = session.WeightOptimizer(0.01);
                string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                try
                {
                    var reports = session.Run(new TrainingPhase { Name = "measure", Epochs = 2, Weights = weights, LearningRate = 0.01 });
                    output.WriteLine($"{graph.Name} {precision} {threads} thread(s): {reports[^1].ImagesPerSecond:F0} images/s (second epoch; load {load})");
                }
                catch (InvalidOperationException e) when (precision == ScalarType.Float32)
                {
                    output.WriteLine($"{graph.Name} {precision} {threads} thread(s): {e.Message}");
                }
            }
        }
    }
}
