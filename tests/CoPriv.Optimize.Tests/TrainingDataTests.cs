using CoPriv.Models.Inputs;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Optimize.Tests;

public class TrainingDataTests
{
    [Fact]
    public void A_file_that_is_not_whole_CIFAR_rows_is_refused_naming_it()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "broken.bin");
        File.WriteAllBytes(path, new byte[3 * CifarBatchFile.RowBytes(CifarDataset.Cifar10) + 17]);
        var error = Assert.Throws<InvalidDataException>(() => TrainingData.FromCifarFiles([path], CifarDataset.Cifar10));
        Assert.Contains(path, error.Message);
        Assert.Contains("3073", error.Message);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TrainingData.FromCifarFiles(["/nonexistent/data_batch_1.bin"], CifarDataset.Cifar10));
        Assert.Contains("/nonexistent/data_batch_1.bin", error.Message);
    }

    [Fact]
    public void Labels_beyond_the_model_s_classes_are_refused_before_training()
    {
        using var directory = new TemporaryDirectory();
        var data = TrainingData.FromCifarFiles([TestGraphs.WriteCifarFile(directory.Path, CifarDataset.Cifar100, 8)], CifarDataset.Cifar100);
        var graph = ModelZoo.Create("minionn", TestGraphs.QuarterWidth with { CalibrationSamples = 0 });
        var error = Assert.Throws<InvalidDataException>(() => GateOptimization.Run(graph,
            [new GateGroup("all", graph.Nodes.Where(n => n.Operator is Models.Graph.Relu).Select(n => n.Name).ToArray(), 1)], data,
            new GateOptimizationOptions()));
        Assert.Contains("100 classes", error.Message);
        Assert.Contains("10 outputs", error.Message);
    }

    [Fact]
    public void Records_are_normalised_with_the_dataset_statistics_and_split_at_random()
    {
        using var directory = new TemporaryDirectory();
        string path = TestGraphs.WriteCifarFile(directory.Path, CifarDataset.Cifar10, 20);
        var data = TrainingData.FromCifarFiles([path], CifarDataset.Cifar10, heldOutFraction: 0.25, seed: 9);
        Assert.Equal((15, 5), (data.TrainCount, data.HeldOutCount));
        Assert.Equal(TrainingDataSource.CifarFiles, data.Source);
        Assert.Equal(10, data.LabelCount);

        var expected = Enumerable.Range(0, 20)
            .Select(i => CifarBatchFile.Read(path, CifarDataset.Cifar10, i))
            .Select(r => (r.Label, Image: ImageNormalization.Cifar10.Apply(r.Image).Data.Select(v => (float)v).ToArray()))
            .ToArray();
        int per = 3 * 32 * 32;
        var all = Enumerable.Range(0, 15).Select(i => (data.TrainLabels![i], data.TrainImages[(i * per)..((i + 1) * per)]))
            .Concat(Enumerable.Range(0, 5).Select(i => (data.HeldOutLabels![i], data.HeldOutImages[(i * per)..((i + 1) * per)])))
            .ToArray();
        Assert.All(all, record => Assert.Contains(expected, e => e.Label == record.Item1 && e.Image.SequenceEqual(record.Item2)));
        Assert.Equal(20, all.Select(r => string.Join(",", r.Item2.Take(8))).Distinct().Count());
    }

    [Fact]
    public void Generated_images_are_seeded_normal_draws_without_labels()
    {
        var shape = TensorShape.FeatureMap(3, 4, 4);
        var first = TrainingData.Generated(shape, 6, 2, seed: 3);
        var again = TrainingData.Generated(shape, 6, 2, seed: 3);
        Assert.Equal(first.TrainImages, again.TrainImages);
        Assert.False(first.IsLabelled);
        Assert.Equal(TrainingDataSource.Generated, first.Source);
        Assert.InRange(first.TrainImages.Average(), -0.5, 0.5);
        Assert.DoesNotContain(first.HeldOutImages[..8], v => first.TrainImages.Contains(v));
    }
}
