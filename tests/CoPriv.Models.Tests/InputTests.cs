using System.Text;
using CoPriv.Models.Inputs;
using SkiaSharp;

namespace CoPriv.Models.Tests;

public sealed class InputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("copriv-inputs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Pixel value of record r, channel c, position i: distinct per record so a wrong offset shows.</summary>
    private static byte Pixel(int record, int c, int i) => (byte)((record * 31 + c * 7 + i) % 251);

    private string WriteBatch(CifarDataset dataset, int records)
    {
        var bytes = new List<byte>();
        for (int r = 0; r < records; r++)
        {
            if (dataset == CifarDataset.Cifar100) bytes.Add((byte)(r % 20));
            bytes.Add((byte)(r * 3 % (dataset == CifarDataset.Cifar10 ? 10 : 100)));
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 1024; i++) bytes.Add(Pixel(r, c, i));
        }
        string path = Path.Combine(_dir, $"{dataset}.bin");
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    [Theory]
    [InlineData(CifarDataset.Cifar10)]
    [InlineData(CifarDataset.Cifar100)]
    public void CifarBatch_ReadsTheRecordAtAnIndex(CifarDataset dataset)
    {
        string path = WriteBatch(dataset, 5);
        Assert.Equal(5, CifarBatchFile.Count(path, dataset));
        var record = CifarBatchFile.Read(path, dataset, 3);
        Assert.Equal(9, record.Label);
        Assert.Equal(dataset == CifarDataset.Cifar100 ? 3 : null, record.CoarseLabel);
        Assert.Equal(Pixel(3, 0, 0), record.Image[0, 0, 0]);
        Assert.Equal(Pixel(3, 1, 5 * 32 + 7), record.Image[1, 5, 7]);
        Assert.Equal(Pixel(3, 2, 1023), record.Image[2, 31, 31]);
    }

    [Fact]
    public void CifarBatch_RejectsWrongFormatLengthsAndIndices()
    {
        string path = WriteBatch(CifarDataset.Cifar100, 3);
        var wrong = Assert.Throws<InvalidDataException>(() => CifarBatchFile.Read(path, CifarDataset.Cifar10, 0));
        Assert.Contains("9222 bytes, not a whole number of Cifar10 rows of 3073 bytes; it would fit Cifar100", wrong.Message);
        string small = WriteBatch(CifarDataset.Cifar10, 2);
        var index = Assert.Throws<ArgumentOutOfRangeException>(() => CifarBatchFile.Read(small, CifarDataset.Cifar10, 2));
        Assert.Contains("holds 2 records (0–1)", index.Message);
        var bytes = File.ReadAllBytes(small);
        bytes[3073] = 42;
        File.WriteAllBytes(small, bytes);
        Assert.Contains("label 42 is out of range", Assert.Throws<InvalidDataException>(() => CifarBatchFile.Read(small, CifarDataset.Cifar10, 1)).Message);
    }

    [Fact]
    public void Normalization_UsesTheCifarChannelStatistics()
    {
        string path = WriteBatch(CifarDataset.Cifar10, 1);
        var image = CifarBatchFile.Read(path, CifarDataset.Cifar10, 0).Image;
        var tensor = ImageNormalization.Cifar10.Apply(image);
        Assert.Equal([3, 32, 32], tensor.Shape.Dimensions);
        Assert.Equal((image[1, 2, 3] / 255.0 - 0.4822) / 0.2435, tensor[1, 2, 3], 1e-12);
        Assert.Equal((image[2, 0, 0] / 255.0 - 0.4409) / 0.2762, ImageNormalization.Cifar100.Apply(image)[2, 0, 0], 1e-12);
    }

    private static byte[] Png(int width, int height, Func<int, int, SKColor> color)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, color(x, y));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [Fact]
    public void Png_DecodesToPlanarRgb()
    {
        string path = Path.Combine(_dir, "cat.png");
        File.WriteAllBytes(path, Png(32, 32, (x, y) => new SKColor((byte)(x * 8), (byte)(y * 8), (byte)(x + y))));
        var image = ImageFileReader.Read(path).RequireSize(32, 32);
        Assert.Equal(5 * 8, image[0, 7, 5]);
        Assert.Equal(7 * 8, image[1, 7, 5]);
        Assert.Equal(12, image[2, 7, 5]);
    }

    [Fact]
    public void Ppm_BinaryAndText_DecodeAlike()
    {
        var header = Encoding.ASCII.GetBytes("P6\n# made by a test\n2 1\n255\n");
        var p6 = ImageFileReader.Decode([.. header, 10, 20, 30, 40, 50, 60], "p6");
        var p3 = ImageFileReader.Decode(Encoding.ASCII.GetBytes("P3 2 1 255\n10 20 30\n40 50 60\n"), "p3");
        Assert.Equal([10, 40, 20, 50, 30, 60], p6.Planar);
        Assert.Equal(p6.Planar, p3.Planar);
    }

    [Fact]
    public void WrongSizeUnknownFormatAndTruncatedFiles_AreClearErrors()
    {
        var big = ImageFileReader.Decode(Png(64, 48, (_, _) => SKColors.Red), "photo.png");
        Assert.Equal("photo.png is 64×48 pixels; the model takes 32×32 RGB images",
            Assert.Throws<InvalidDataException>(() => big.RequireSize(32, 32, "photo.png")).Message);
        Assert.Contains("neither a PNG nor a PPM", Assert.Throws<InvalidDataException>(() => ImageFileReader.Decode("GIF89a"u8.ToArray(), "x.gif")).Message);
        var truncated = Encoding.ASCII.GetBytes("P6 32 32 255\n").Concat(new byte[100]).ToArray();
        Assert.Contains("needs 3072", Assert.Throws<InvalidDataException>(() => ImageFileReader.Decode(truncated, "t.ppm")).Message);
        Assert.Contains("8-bit", Assert.Throws<InvalidDataException>(() => ImageFileReader.Decode(Encoding.ASCII.GetBytes("P6 2 2 65535\n"), "deep.ppm")).Message);
        Assert.Contains("could not be decoded", Assert.Throws<InvalidDataException>(
            () => ImageFileReader.Decode([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3], "broken.png")).Message);
    }
}
