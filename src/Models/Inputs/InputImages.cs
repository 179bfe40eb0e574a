using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using CoPriv.Models.Tensors;
using CoPriv.Models.Sources;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Inputs;

/// <summary>
/// Reads the client's input image from a file, for the model's input shape [C, H, W]:
/// <list type="bullet">
/// <item>CIFAR binary batches (<c>.bin</c>, <see cref="CifarBatchFile"/>) for CIFAR models, record
/// <c>index</c>;</item>
/// <item>PNG or PPM (<c>.png</c>, <c>.ppm</c>, <see cref="ImageFileReader"/>) of the model's input size;</item>
/// <item>NumPy (<c>.npy</c>): float32 or float64, C order, shape [C, H, W] or [N, C, H, W], already normalised;</item>
/// <item>raw little-endian float32 (<c>.f32</c>, <c>.raw</c>): N·C·H·W values, already normalised.</item>
/// </list>
/// 8-bit images are normalised with the dataset's channel statistics (<see cref="ImageNormalization"/>). Anything
/// else, a size that does not fit, or an index past the last image fails with a <see cref="FormatException"/> or
/// <see cref="ArgumentException"/> naming the file.
/// </summary>
public static partial class InputImages
{
    /// <summary>ImageNet's channel statistics, for the ImageNet models of the zoo.</summary>
    private static readonly ImageNormalization ImageNet = new([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);

    /// <summary>Image <paramref name="index"/> (0-based) of the file, for a zoo model or a model file.</summary>
    public static InputImage Read(string path, int index, IModelSource model)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        if (index < 0) throw new ArgumentException($"the image index must be 0 or more, got {index}", nameof(index));
        if (!File.Exists(path)) throw new FileNotFoundException($"input file '{path}' does not exist", path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        try
        {
            return extension switch
            {
                ".bin" => ReadCifar(path, index, model),
                ".png" or ".ppm" => ReadPicture(path, index, model),
                ".npy" => ReadNumPy(path, File.ReadAllBytes(path), index, model.InputShape),
                ".f32" or ".raw" => ReadFloats(path, File.ReadAllBytes(path), 0, index, model.InputShape, 4, "raw float32"),
                _ => throw new FormatException(
                    $"input file '{path}': unknown format '{extension}'; use a CIFAR binary (.bin), PNG, PPM, a NumPy array (.npy) or raw float32 (.f32, .raw)"),
            };
        }
        catch (InvalidDataException e)
        {
            // The readers' word for a malformed file; to the caller it is a format error like the others.
            throw new FormatException($"input file '{path}': {e.Message}", e);
        }
    }

    /// <summary>A seeded N(0, 1) image (what a normalised image looks like to the first layer).</summary>
    public static InputImage Random(TensorShape shape, ulong seed) =>
        new(new Tensor(shape, new SeededRandom(seed).Gaussian(shape.ElementCount, 1.0)), $"random N(0, 1) image, seed {seed}", null);

    private static InputImage ReadCifar(string path, int index, IModelSource model)
    {
        var dataset = model.Dataset switch
        {
            "CIFAR-10" => CifarDataset.Cifar10,
            "CIFAR-100" => CifarDataset.Cifar100,
            _ => throw new FormatException($"input file '{path}': CIFAR binary files fit CIFAR models, '{model.Name}' takes {model.Dataset ?? "images of no dataset it names"}"),
        };
        CheckIndex(path, index, CifarBatchFile.Count(path, dataset));
        var record = CifarBatchFile.Read(path, dataset, index);
        var image = record.Image.RequireSize(model.InputShape.Width, model.InputShape.Height, path);
        return new InputImage(NormalizationFor(model, path).Apply(image), $"{path} #{index} ({model.Dataset} binary)", record.Label);
    }

    private static InputImage ReadPicture(string path, int index, IModelSource model)
    {
        CheckIndex(path, index, 1);
        var image = ImageFileReader.Read(path).RequireSize(model.InputShape.Width, model.InputShape.Height, path);
        return new InputImage(NormalizationFor(model, path).Apply(image), path, null);
    }

    private static ImageNormalization NormalizationFor(IModelSource model, string path) => model.Dataset switch
    {
        "CIFAR-10" => ImageNormalization.Cifar10,
        "CIFAR-100" => ImageNormalization.Cifar100,
        "ImageNet" => ImageNet,
        var dataset => throw new FormatException(
            $"input file '{path}': '{model.Name}' names {(dataset is null ? "no dataset" : $"the dataset '{dataset}'")}, so there are no channel statistics to normalise an 8-bit image with; give the input already normalised as .npy or .f32"),
    };

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
