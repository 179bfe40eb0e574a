using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CoPriv.Models.Tensors;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Secure;

/// <summary>An image the client feeds to a model, where it came from, and its label when the file has one.</summary>
public sealed record InputImage(Tensor Image, string Source, int? Label);

/// <summary>
/// Reads the client's input image from a file, for the model's input shape [C, H, W]:
/// <list type="bullet">
/// <item>CIFAR binary (<c>.bin</c>, the dataset's own format): records of the label byte(s) — one for CIFAR-10, coarse
/// and fine for CIFAR-100 — and 3,072 pixel bytes, channel planes; pixels are normalised with the dataset's
/// per-channel mean and standard deviation;</item>
/// <item>NumPy (<c>.npy</c>): float32 or float64, C order, shape [C, H, W] or [N, C, H, W], already normalised;</item>
/// <item>raw little-endian float32 (<c>.f32</c>, <c>.raw</c>): N·C·H·W values, already normalised.</item>
/// </list>
/// Anything else, a size that does not fit, or an index past the last image fails with a message naming the file.
/// </summary>
public static partial class InputImages
{
    private static readonly double[] Cifar10Mean = [0.4914, 0.4822, 0.4465], Cifar10Std = [0.2470, 0.2435, 0.2616];
    private static readonly double[] Cifar100Mean = [0.5071, 0.4865, 0.4409], Cifar100Std = [0.2673, 0.2564, 0.2762];

    /// <summary>Image <paramref name="index"/> (0-based) of the file, for a model of the zoo.</summary>
    public static InputImage Read(string path, int index, ZooModel model)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        if (index < 0) throw new ArgumentException($"the image index must be 0 or more, got {index}", nameof(index));
        if (!File.Exists(path)) throw new FileNotFoundException($"input file '{path}' does not exist", path);
        var bytes = File.ReadAllBytes(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".bin" => ReadCifar(path, bytes, index, model),
            ".npy" => ReadNumPy(path, bytes, index, model.InputShape),
            ".f32" or ".raw" => ReadFloats(path, bytes, 0, index, model.InputShape, 4, "raw float32"),
            _ => throw new FormatException(
                $"input file '{path}': unknown format '{extension}'; use a CIFAR binary (.bin), a NumPy array (.npy) or raw float32 (.f32, .raw)"),
        };
    }

    /// <summary>A seeded N(0, 1) image (what a normalised image looks like to the first layer).</summary>
    public static InputImage Random(TensorShape shape, ulong seed) =>
        new(new Tensor(shape, new SeededRandom(seed).Gaussian(shape.ElementCount, 1.0)), $"random N(0, 1) image, seed {seed}", null);

    private static InputImage ReadCifar(string path, byte[] bytes, int index, ZooModel model)
    {
        var (labelBytes, mean, std) = model.Dataset switch
        {
            "CIFAR-10" => (1, Cifar10Mean, Cifar10Std),
            "CIFAR-100" => (2, Cifar100Mean, Cifar100Std),
            _ => throw new FormatException($"input file '{path}': CIFAR binary files fit CIFAR models, '{model.Name}' takes {model.Dataset} images"),
        };
        var shape = model.InputShape;
        int pixels = shape.ElementCount, record = labelBytes + pixels;
        if (bytes.Length == 0 || bytes.Length % record != 0)
            throw new FormatException(
                $"input file '{path}': {bytes.Length:N0} bytes is not a whole number of {model.Dataset} records ({record:N0} bytes each: {labelBytes} label byte(s) and {pixels:N0} pixels)");
        int count = bytes.Length / record;
        CheckIndex(path, index, count);
        int offset = index * record;
        var data = new double[pixels];
        int plane = shape.Height * shape.Width;
        for (int i = 0; i < pixels; i++)
        {
            int c = i / plane;
            data[i] = (bytes[offset + labelBytes + i] / 255.0 - mean[c]) / std[c];
        }
        return new InputImage(new Tensor(shape, data), $"{path} #{index} ({model.Dataset} binary)", bytes[offset + labelBytes - 1]);
    }

    private static InputImage ReadNumPy(string path, byte[] bytes, int index, TensorShape shape)
    {
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(magic))
            throw new FormatException($"input file '{path}' is not a NumPy .npy file (no \\x93NUMPY magic)");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))
            : bytes.Length >= 12 ? (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)) : -1;
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        if (major is < 1 or > 3 || headerLength < 0 || dataStart > bytes.Length)
            throw new FormatException($"input file '{path}': unsupported or truncated NumPy header (version {major})");
        string header = Encoding.Latin1.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        string descr = DescrPattern().Match(header) is { Success: true } d ? d.Groups[1].Value
            : throw new FormatException($"input file '{path}': the NumPy header has no dtype ('descr')");
        int width = descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            _ => throw new FormatException($"input file '{path}': NumPy dtype '{descr}' is not supported; use float32 ('<f4') or float64 ('<f8')"),
        };
        if (FortranPattern().IsMatch(header))
            throw new FormatException($"input file '{path}': the array is in Fortran order; save it in C order");
        var dims = ShapePattern().Match(header) is { Success: true } m
            ? m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()
            : throw new FormatException($"input file '{path}': the NumPy header has no shape");
        var expected = shape.Dimensions.ToArray();
        bool single = dims.SequenceEqual(expected), batch = dims.Length == expected.Length + 1 && dims.Skip(1).SequenceEqual(expected);
        if (!single && !batch)
            throw new FormatException(
                $"input file '{path}': the array has shape ({string.Join(", ", dims)}), the model takes ({string.Join(", ", expected)}) or (N, {string.Join(", ", expected)})");
        return ReadFloats(path, bytes, dataStart, index, shape, width, $"NumPy {descr}");
    }

    private static InputImage ReadFloats(string path, byte[] bytes, int start, int index, TensorShape shape, int width, string format)
    {
        long imageBytes = (long)shape.ElementCount * width, available = bytes.Length - start;
        if (available == 0 || available % imageBytes != 0)
            throw new FormatException(
                $"input file '{path}': {available:N0} bytes of {format} data is not a whole number of {shape} images ({imageBytes:N0} bytes each)");
        CheckIndex(path, index, (int)(available / imageBytes));
        var data = new double[shape.ElementCount];
        var span = bytes.AsSpan(start + (int)(index * imageBytes));
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = width == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(span.Slice(4 * i))
                : BinaryPrimitives.ReadDoubleLittleEndian(span.Slice(8 * i));
            if (!double.IsFinite(data[i]))
                throw new FormatException($"input file '{path}': value {i} of image {index} is not a finite number ({data[i]})");
        }
        return new InputImage(new Tensor(shape, data), $"{path} #{index} ({format})", null);
    }

    private static void CheckIndex(string path, int index, int count)
    {
        if (index >= count)
            throw new ArgumentException($"input file '{path}' holds {count} image(s); index {index} is past the last one");
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
