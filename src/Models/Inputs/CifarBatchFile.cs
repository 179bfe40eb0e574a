namespace CoPriv.Models.Inputs;

/// <summary>
/// Reads records from a CIFAR binary batch (data_batch_N.bin / test_batch.bin for CIFAR-10, train.bin / test.bin
/// for CIFAR-100) by index, without loading the whole file. The client uses it to pick its input image.
/// </summary>
public static class CifarBatchFile
{
    public const int ImageSide = 32;
    public const int PixelBytes = 3 * ImageSide * ImageSide;

    public static int RowBytes(CifarDataset dataset) => dataset == CifarDataset.Cifar10 ? 1 + PixelBytes : 2 + PixelBytes;

    public static int LabelCount(CifarDataset dataset) => dataset == CifarDataset.Cifar10 ? 10 : 100;

    /// <summary>How many records the file holds (its length must be a whole number of rows).</summary>
    public static int Count(string path, CifarDataset dataset)
    {
        long length = new FileInfo(path).Length;
        return RecordCount(length, dataset, path);
    }

    public static CifarRecord Read(string path, CifarDataset dataset, int index)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, dataset, index, path);
    }

    /// <summary>Reads record <paramref name="index"/> from a seekable stream holding a whole batch.</summary>
    public static CifarRecord Read(Stream stream, CifarDataset dataset, int index, string? source = null)
    {
        source ??= "CIFAR batch";
        int count = RecordCount(stream.Length, dataset, source);
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), $"{source} holds {count} records (0–{count - 1}); index {index} is outside");
        int row = RowBytes(dataset);
        var bytes = new byte[row];
        stream.Seek((long)index * row, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        int labels = row - PixelBytes;
        int label = bytes[labels - 1];
        int? coarse = dataset == CifarDataset.Cifar100 ? bytes[0] : null;
        if (label >= LabelCount(dataset) || coarse >= 20)
            throw new InvalidDataException(
                $"{source}, record {index}: label {label}{(coarse is null ? "" : $" (coarse {coarse})")} is out of range for {dataset}; is this the right format?");
        return new CifarRecord(index, label, coarse, new RgbImage(ImageSide, ImageSide, bytes[labels..]));
    }

    private static int RecordCount(long length, CifarDataset dataset, string source)
    {
        int row = RowBytes(dataset);
        if (length == 0 || length % row != 0)
            throw new InvalidDataException(
                $"{source} has {length} bytes, not a whole number of {dataset} rows of {row} bytes" +
                (length % RowBytes(Other(dataset)) == 0 && length > 0 ? $"; it would fit {Other(dataset)}" : ""));
        return checked((int)(length / row));
    }

    private static CifarDataset Other(CifarDataset d) => d == CifarDataset.Cifar10 ? CifarDataset.Cifar100 : CifarDataset.Cifar10;
}
