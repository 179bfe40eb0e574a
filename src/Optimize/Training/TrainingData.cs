using CoPriv.Models.Inputs;
using CoPriv.Models.Tensors;

namespace CoPriv.Optimize;

/// <summary>Where the images of a training run came from.</summary>
public enum TrainingDataSource
{
    /// <summary>CIFAR binary batches with their labels: the task loss is cross-entropy on the labels.</summary>
    CifarFiles,

    /// <summary>Seeded N(0, 1) images in normalised space, without labels: the unoptimized network labels them (distillation).</summary>
    Generated,
}

/// <summary>
/// The images of a training run, normalised as the model takes them, split into a training part and a held-out
/// part whose accuracy the run reports. Held as float32 in managed memory; batches are copied to libtorch as they are
/// needed. Server-side: the server trains its own network.
/// </summary>
public sealed class TrainingData
{
    private TrainingData(TrainingDataSource source, string description, TensorShape imageShape,
        float[] trainImages, int[]? trainLabels, float[] heldOutImages, int[]? heldOutLabels, int? labelCount)
    {
        Source = source;
        Description = description;
        ImageShape = imageShape;
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        HeldOutImages = heldOutImages;
        HeldOutLabels = heldOutLabels;
        LabelCount = labelCount;
    }

    public TrainingDataSource Source { get; }

    /// <summary>One line naming the files (or the generator) and the split.</summary>
    public string Description { get; }

    public TensorShape ImageShape { get; }
    public int TrainCount => TrainImages.Length / ImageShape.ElementCount;
    public int HeldOutCount => HeldOutImages.Length / ImageShape.ElementCount;

    /// <summary>How many classes the labels may name (10 or 100 for CIFAR); null without labels.</summary>
    public int? LabelCount { get; }

    public bool IsLabelled => TrainLabels is not null;

    internal float[] TrainImages { get; }
    internal int[]? TrainLabels { get; }
    internal float[] HeldOutImages { get; }
    internal int[]? HeldOutLabels { get; }

    /// <summary>
    /// Every record of the CIFAR binary batches at <paramref name="paths"/>, normalised with the dataset's channel
    /// statistics. The held-out part is <paramref name="heldOutPaths"/> when given, otherwise a seeded random
    /// <paramref name="heldOutFraction"/> of the records (at least one). A file that is not a whole number of the
    /// dataset's rows fails with an <see cref="InvalidDataException"/> naming it; a missing one with a
    /// <see cref="FileNotFoundException"/>.
    /// </summary>
    public static TrainingData FromCifarFiles(IReadOnlyList<string> paths, CifarDataset dataset, double heldOutFraction = 0.1,
        ulong seed = 1, IReadOnlyList<string>? heldOutPaths = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("no CIFAR batch file given", nameof(paths));
        var normalization = dataset == CifarDataset.Cifar10 ? ImageNormalization.Cifar10 : ImageNormalization.Cifar100;
        var (images, labels) = ReadAll(paths, dataset, normalization);
        int per = images.Length / labels.Length;
        float[] trainImages, heldImages;
        int[] trainLabels, heldLabels;
        string split;
        if (heldOutPaths is { Count: > 0 })
        {
            (trainImages, trainLabels) = (images, labels);
            (heldImages, heldLabels) = ReadAll(heldOutPaths, dataset, normalization);
            split = $"held out: {string.Join(", ", heldOutPaths)} ({heldLabels.Length} records)";
        }
        else
        {
            if (!(heldOutFraction > 0 && heldOutFraction < 1))
                throw new ArgumentException($"the held-out fraction must be between 0 and 1, got {heldOutFraction}", nameof(heldOutFraction));
            if (labels.Length < 2)
                throw new InvalidDataException($"{string.Join(", ", paths)} hold {labels.Length} record(s); a training part and a held-out part need at least 2");
            int held = Math.Clamp((int)Math.Round(labels.Length * heldOutFraction), 1, labels.Length - 1);
            var order = Enumerable.Range(0, labels.Length).ToArray();
            new Random(unchecked((int)seed)).Shuffle(order);
            (heldImages, heldLabels) = Gather(images, labels, per, order[..held]);
            (trainImages, trainLabels) = Gather(images, labels, per, order[held..]);
            split = $"{held} of {labels.Length} records held out at random (seed {seed})";
        }
        string description = $"{dataset} batches {string.Join(", ", paths)}: {trainLabels.Length} training records, {split}";
        return new TrainingData(TrainingDataSource.CifarFiles, description, TensorShape.FeatureMap(3, CifarBatchFile.ImageSide, CifarBatchFile.ImageSide),
            trainImages, trainLabels, heldImages, heldLabels, CifarBatchFile.LabelCount(dataset));
    }

    /// <summary>
    /// Seeded N(0, 1) images of <paramref name="shape"/> (what a normalised image looks like to the first layer, as
    /// <see cref="InputImages.Random"/> draws them), without labels: the unoptimized network labels them.
    /// </summary>
    public static TrainingData Generated(TensorShape shape, int trainCount, int heldOutCount, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (trainCount <= 0 || heldOutCount <= 0)
            throw new ArgumentException($"generated data needs training and held-out images, got {trainCount} and {heldOutCount}");
        // Disjoint seed ranges for the two parts, so the held-out images are never trained on.
        ulong first = seed << 32;
        return new TrainingData(TrainingDataSource.Generated,
            $"{trainCount} generated N(0, 1) images for training, {heldOutCount} held out (seed {seed}), labelled by the unoptimized network",
            shape, Draw(shape, trainCount, first), null, Draw(shape, heldOutCount, first + (1UL << 31)), null, null);
    }

    private static float[] Draw(TensorShape shape, int count, ulong firstSeed)
    {
        int per = shape.ElementCount;
        var images = new float[count * per];
        for (int i = 0; i < count; i++)
        {
            var data = InputImages.Random(shape, firstSeed + (ulong)i).Image.Data;
            for (int k = 0; k < per; k++) images[i * per + k] = (float)data[k];
        }
        return images;
    }

    private static (float[] Images, int[] Labels) ReadAll(IReadOnlyList<string> paths, CifarDataset dataset, ImageNormalization normalization)
    {
        var counts = paths.Select(path => File.Exists(path)
            ? CifarBatchFile.Count(path, dataset)
            : throw new FileNotFoundException($"CIFAR batch file '{path}' does not exist", path)).ToArray();
        int total = counts.Sum(), per = CifarBatchFile.PixelBytes, next = 0;
        var images = new float[(long)total * per > int.MaxValue
            ? throw new InvalidDataException($"{total} records are more than one training run holds in memory")
            : total * per];
        var labels = new int[total];
        for (int f = 0; f < paths.Count; f++)
        {
            using var stream = File.OpenRead(paths[f]);
            for (int i = 0; i < counts[f]; i++, next++)
            {
                var record = CifarBatchFile.Read(stream, dataset, i, paths[f]);
                var tensor = normalization.Apply(record.Image);
                for (int k = 0; k < per; k++) images[next * per + k] = (float)tensor.Data[k];
                labels[next] = record.Label;
            }
        }
        return (images, labels);
    }

    private static (float[] Images, int[] Labels) Gather(float[] images, int[] labels, int per, int[] indices)
    {
        var gathered = new float[indices.Length * per];
        var gatheredLabels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Array.Copy(images, indices[i] * per, gathered, i * per, per);
            gatheredLabels[i] = labels[indices[i]];
        }
        return (gathered, gatheredLabels);
    }
}
