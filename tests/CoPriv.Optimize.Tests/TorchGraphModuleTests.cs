using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CoPriv.Optimize.Tests;

public class TorchGraphModuleTests(ITestOutputHelper output)
{
    /// <summary>float64 libtorch and the double float executor differ only in the order of their sums.</summary>
    private const double Float64Tolerance = 1e-9;

    /// <summary>float32 carries ~7 digits; logits here are O(1)–O(10) after ~35 layers.</summary>
    private const double Float32Tolerance = 5e-4;

    [Theory]
    [InlineData("resnet32")]
    [InlineData("mobilenetv2")]
    [InlineData("resnet32-sci")]
    public void Eval_forward_equals_the_float_executor_on_quarter_width_zoo_models(string model)
    {
        var graph = ModelZoo.Create(model, TestGraphs.QuarterWidth);
        var images = TestGraphs.RandomImages(graph.InputShape, 4);
        var expected = TestGraphs.FloatLogits(graph, images);
        using var exact = TorchGraphModule.FromGraph(graph, ScalarType.Float64);
        using var fast = TorchGraphModule.FromGraph(graph, ScalarType.Float32);
        double exactDifference = TestGraphs.MaxAbsDifference(expected, TestGraphs.TorchLogits(exact, images));
        double fastDifference = TestGraphs.MaxAbsDifference(expected, TestGraphs.TorchLogits(fast, images));
        output.WriteLine($"{graph.Name}: max |logit difference| float64 {exactDifference:E2}, float32 {fastDifference:E2} " +
                         $"(logits up to {expected.Max(Math.Abs):F2})");
        Assert.True(exactDifference < Float64Tolerance, $"float64: {exactDifference}");
        Assert.True(fastDifference < Float32Tolerance, $"float32: {fastDifference}");
    }

    [Fact]
    public void Eval_forward_equals_the_float_executor_on_every_operator()
    {
        var graph = TestGraphs.EveryOperator();
        var images = TestGraphs.RandomImages(graph.InputShape, 3);
        using var module = TorchGraphModule.FromGraph(graph, ScalarType.Float64);
        double difference = TestGraphs.MaxAbsDifference(TestGraphs.FloatLogits(graph, images), TestGraphs.TorchLogits(module, images));
        output.WriteLine($"every operator, float64: {difference:E2}");
        Assert.True(difference < Float64Tolerance, $"{difference}");
    }

    [Theory]
    [InlineData("resnet32-sci")]
    [InlineData("mobilenetv2")]
    public void Round_trip_in_float64_gives_the_same_weights(string model)
    {
        var graph = ModelZoo.Create(model, TestGraphs.QuarterWidth);
        using var module = TorchGraphModule.FromGraph(graph, ScalarType.Float64);
        var back = module.ToGraph();
        Assert.Equal(graph.Nodes.Count, back.Nodes.Count);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            Assert.Equal(graph.Nodes[i].Name, back.Nodes[i].Name);
            Assert.Equal(Parameters(graph.Nodes[i].Operator), Parameters(back.Nodes[i].Operator));
        }
    }

    [Fact]
    public void Round_trip_in_float32_rounds_each_weight_to_float()
    {
        var graph = TestGraphs.EveryOperator();
        using var module = TorchGraphModule.FromGraph(graph, ScalarType.Float32);
        var back = module.ToGraph();
        for (int i = 0; i < graph.Nodes.Count; i++)
            Assert.Equal(Parameters(graph.Nodes[i].Operator, withEpsilon: false).Select(v => (double)(float)v),
                Parameters(back.Nodes[i].Operator, withEpsilon: false));
    }

    [Fact]
    public void Trained_weights_and_running_statistics_come_back_into_the_graph()
    {
        var graph = ModelZoo.Create("resnet32-sci", TestGraphs.QuarterWidth with { CalibrationSamples = 1 });
        TorchRuntime.Prepare(TorchRuntime.DefaultThreads, seed: 7);
        using var module = TorchGraphModule.FromGraph(graph, ScalarType.Float64);
        using var optimizer = optim.SGD(module.parameters(), 0.05, momentum: 0.9);
        var images = TestGraphs.RandomImages(graph.InputShape, 8, firstSeed: 500);
        module.train();
        for (int step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var logits = module.forward(TorchTensors.Batch(images, ScalarType.Float64));
            nn.functional.cross_entropy(logits, torch.arange(8, dtype: ScalarType.Int64)).backward();
            optimizer.step();
        }
        var trained = module.ToGraph();
        var before = (BatchNormalization)graph.NodeNamed("s2b1.bn1").Operator;
        var after = (BatchNormalization)trained.NodeNamed("s2b1.bn1").Operator;
        Assert.NotEqual(before.Mean, after.Mean);
        Assert.NotEqual(before.Scale, after.Scale);
        Assert.NotEqual(((Convolution)graph.NodeNamed("conv1").Operator).Weights, ((Convolution)trained.NodeNamed("conv1").Operator).Weights);

        var probe = TestGraphs.RandomImages(graph.InputShape, 2, firstSeed: 900);
        double difference = TestGraphs.MaxAbsDifference(TestGraphs.FloatLogits(trained, probe), TestGraphs.TorchLogits(module, probe));
        Assert.True(difference < Float64Tolerance, $"{difference}");
    }

    [Fact]
    public void Train_mode_normalises_with_batch_statistics_and_updates_the_running_ones()
    {
        var graph = TestGraphs.EveryOperator();
        using var module = TorchGraphModule.FromGraph(graph, ScalarType.Float64);
        var images = TestGraphs.RandomImages(graph.InputShape, 4);
        var evalLogits = TestGraphs.TorchLogits(module, images);
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            module.train();
            var trainLogits = TorchTensors.ToDoubles(module.forward(TorchTensors.Batch(images, ScalarType.Float64)));
            Assert.True(TestGraphs.MaxAbsDifference(evalLogits, trainLogits) > 1e-3);
        }
        var updated = (BatchNormalization)module.ToGraph().NodeNamed("bn").Operator;
        var original = (BatchNormalization)graph.NodeNamed("bn").Operator;
        Assert.NotEqual(original.Mean, updated.Mean);
        Assert.Equal(original.Scale, updated.Scale);
    }

    [Fact]
    public void An_operator_without_counterpart_is_refused_naming_the_node()
    {
        var b = new GraphBuilder("x", TensorShape.FeatureMap(1, 2, 2));
        string t = b.Add("odd", new Square(), "x");
        var graph = b.Build("odd", "", t);
        var error = Assert.Throws<NotSupportedException>(() => TorchGraphModule.FromGraph(graph));
        Assert.Contains("node 'odd'", error.Message);
        Assert.Contains("Square", error.Message);
    }

    [Fact]
    public void A_batch_of_the_wrong_shape_is_refused()
    {
        using var module = TorchGraphModule.FromGraph(TestGraphs.EveryOperator());
        using var input = torch.zeros(2, 3, 8, 8);
        var error = Assert.Throws<ArgumentException>(() => module.forward(input));
        Assert.Contains("[N, 3, 9, 9]", error.Message);
    }

    /// <summary>Every number of an operator; ε is a setting the module keeps as a double, not a float32 tensor.</summary>
    private static double[] Parameters(LayerOperator op, bool withEpsilon = true) => op switch
    {
        Convolution c => [.. c.Weights, .. c.Bias ?? []],
        BatchNormalization bn => [.. bn.Scale, .. bn.Bias, .. bn.Mean, .. bn.Variance, .. (withEpsilon ? [bn.Epsilon] : Array.Empty<double>())],
        FullyConnected fc => [.. fc.Weights, .. fc.Bias ?? []],
        _ => [],
    };

    private sealed class Square : LayerOperator
    {
        public override string Kind => "Square";
        public override TensorShape InferShape(string node, IReadOnlyList<TensorShape> inputs) => inputs[0];
    }
}
