using System.Buffers.Binary;
using System.Text;
using CoPriv.Models.Inputs;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

public sealed class InputImagesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("copriv-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Cifar100Binary_ReadsTheChosenRecord_NormalisedPerChannel_WithItsFineLabel()
    {
        var bytes = new byte[2 * 3074];
        bytes[3074] = 7; // coarse label of record 1
        bytes[3075] = 42; // fine label
        for (int i = 0; i < 3072; i++) bytes[3076 + i] = (byte)(i / 1024 * 100); // channel c has pixel value 100·c
        var input = InputImages.Read(Write("test.bin", bytes), 1, ModelZoo.Get("resnet32-sci"));
        Assert.Equal(42, input.Label);
        Assert.Equal((0 / 255.0 - 0.5071) / 0.2673, input.Image.Data[0], 12);
        Assert.Equal((100 / 255.0 - 0.4865) / 0.2564, input.Image.Data[1024], 12);
        Assert.Equal((200 / 255.0 - 0.4409) / 0.2762, input.Image.Data[3071], 12);
    }

    [Fact]
    public void CifarBinary_OfTheWrongRecordSize_IsRefusedWithTheSizes()
    {
        var error = Assert.Throws<FormatException>(() => InputImages.Read(Write("bad.bin", new byte[3073]), 0, ModelZoo.Get("resnet32-sci")));
        Assert.Contains("bad.bin", error.Message);
        Assert.Contains("3073 bytes", error.Message);
        Assert.Contains("3074", error.Message);
    }

    [Fact]
    public void PpmOfTheModelsSize_IsNormalisedWithTheDatasetStatistics_AndOtherSizesAreRefused()
    {
        var header = Encoding.ASCII.GetBytes("P6 32 32 255\n");
        var ppm = new byte[header.Length + 3072];
        header.CopyTo(ppm, 0);
        for (int i = 0; i < 1024; i++) ppm[header.Length + 3 * i] = 255; // pure red
        var input = InputImages.Read(Write("red.ppm", ppm), 0, ModelZoo.Get("minionn"));
        Assert.Equal((1.0 - 0.4914) / 0.2470, input.Image.Data[0], 12);
        Assert.Equal((0.0 - 0.4822) / 0.2435, input.Image.Data[1024], 12);
        var small = Encoding.ASCII.GetBytes("P6 8 8 255\n").Concat(new byte[192]).ToArray();
        Assert.Contains("8×8", Assert.Throws<FormatException>(() => InputImages.Read(Write("small.ppm", small), 0, ModelZoo.Get("minionn"))).Message);
    }

    [Fact]
    public void NumPyFloat32Batch_ReadsTheChosenImage()
    {
        var path = Write("batch.npy", NumPy("<f4", "(2, 3, 32, 32)", 2 * 3072, 4, (span, i) => BinaryPrimitives.WriteSingleLittleEndian(span, i * 0.5f)));
        var input = InputImages.Read(path, 1, ModelZoo.Get("minionn"));
        Assert.Equal(3072 * 0.5, input.Image.Data[0]);
        Assert.Equal(6143 * 0.5, input.Image.Data[3071]);
        Assert.Null(input.Label);
    }

    [Fact]
    public void NumPyArrayOfAnotherShape_IsRefusedNamingBothShapes()
    {
        var path = Write("wrong.npy", NumPy("<f8", "(3, 28, 28)", 3 * 28 * 28, 8, (span, i) => BinaryPrimitives.WriteDoubleLittleEndian(span, i)));
        var error = Assert.Throws<FormatException>(() => InputImages.Read(path, 0, ModelZoo.Get("minionn")));
        Assert.Contains("(3, 28, 28)", error.Message);
        Assert.Contains("(3, 32, 32)", error.Message);
    }

    [Fact]
    public void RawFloats_PastTheLastImage_OrOfAnUnknownFormat_AreRefused()
    {
        var path = Write("one.f32", new byte[3072 * 4]);
        Assert.Contains("index 1 is past", Assert.Throws<ArgumentException>(() => InputImages.Read(path, 1, ModelZoo.Get("minionn"))).Message);
        Assert.Contains("unknown format", Assert.Throws<FormatException>(() => InputImages.Read(Write("x.gif", [1, 2]), 0, ModelZoo.Get("minionn"))).Message);
        Assert.Contains("neither a PNG nor a PPM", Assert.Throws<FormatException>(() => InputImages.Read(Write("x.png", [1, 2]), 0, ModelZoo.Get("minionn"))).Message);
        Assert.Throws<FileNotFoundException>(() => InputImages.Read(Path.Combine(_dir, "missing.bin"), 0, ModelZoo.Get("minionn")));
    }

    private static byte[] NumPy(string descr, string shape, int count, int width, SpanAction write)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(117) + "\n"; // 10 + 118 bytes: the data starts 64-byte aligned, as NumPy writes it
        var head = Encoding.Latin1.GetBytes(header);
        var bytes = new byte[10 + head.Length + count * width];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)head.Length);
        head.CopyTo(bytes, 10);
        for (int i = 0; i < count; i++) write(bytes.AsSpan(10 + head.Length + i * width), i);
        return bytes;
    }

    private delegate void SpanAction(Span<byte> span, int index);
}
