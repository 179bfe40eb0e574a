using System.Text;
using SkiaSharp;

namespace CoPriv.Models.Inputs;

/// <summary>
/// Reads the client's image from a PNG (decoded with SkiaSharp; alpha dropped) or a PPM (P6 binary or P3 text,
/// max value ≤ 255) file into an <see cref="RgbImage"/>. Other formats and broken files get an
/// <see cref="InvalidDataException"/> saying what was found.
/// </summary>
public static class ImageFileReader
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static RgbImage Read(string path) => Decode(File.ReadAllBytes(path), path);

    public static RgbImage Decode(byte[] bytes, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        source ??= "image";
        if (bytes.AsSpan().StartsWith(PngSignature)) return DecodePng(bytes, source);
        if (bytes.Length >= 2 && bytes[0] == 'P' && bytes[1] is (byte)'6' or (byte)'3') return DecodePpm(bytes, source);
        throw new InvalidDataException($"{source} is neither a PNG nor a PPM (P6/P3) file");
    }

    private static RgbImage DecodePng(byte[] bytes, string source)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"{source} has a PNG signature but could not be decoded");
        using var bitmap = SKBitmap.Decode(codec)
            ?? throw new InvalidDataException($"{source} has a PNG signature but its pixels could not be decoded");
        int w = bitmap.Width, h = bitmap.Height;
        var planar = new byte[3 * w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var color = bitmap.GetPixel(x, y);
                planar[y * w + x] = color.Red;
                planar[(h + y) * w + x] = color.Green;
                planar[(2 * h + y) * w + x] = color.Blue;
            }
        return new RgbImage(w, h, planar);
    }

    private static RgbImage DecodePpm(byte[] bytes, string source)
    {
        bool binary = bytes[1] == '6';
        int position = 2;
        int width = HeaderNumber(bytes, ref position, source, "width");
        int height = HeaderNumber(bytes, ref position, source, "height");
        int max = HeaderNumber(bytes, ref position, source, "maximum value");
        if (width <= 0 || height <= 0 || max is <= 0 or > 255)
            throw new InvalidDataException($"{source}: PPM header gives {width}×{height} with maximum value {max}; CoPriv reads 8-bit PPMs (max ≤ 255)");
        int count = 3 * width * height;
        var interleaved = new byte[count];
        if (binary)
        {
            position++; // the single whitespace byte after the maximum value
            if (bytes.Length - position < count)
                throw new InvalidDataException($"{source}: PPM pixel data has {Math.Max(0, bytes.Length - position)} bytes, {width}×{height} needs {count}");
            bytes.AsSpan(position, count).CopyTo(interleaved);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                int v = HeaderNumber(bytes, ref position, source, $"sample {i}");
                if (v > max) throw new InvalidDataException($"{source}: PPM sample {i} is {v}, above the maximum {max}");
                interleaved[i] = (byte)v;
            }
        }
        var planar = new byte[count];
        int plane = width * height;
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
                planar[c * plane + i] = (byte)(interleaved[3 * i + c] * 255 / max);
        return new RgbImage(width, height, planar);
    }

    /// <summary>Next decimal number in a PPM header or P3 body, skipping whitespace and # comments.</summary>
    private static int HeaderNumber(byte[] bytes, ref int position, string source, string what)
    {
        while (position < bytes.Length)
        {
            if (bytes[position] == '#')
                while (position < bytes.Length && bytes[position] != '\n') position++;
            else if (char.IsWhiteSpace((char)bytes[position])) position++;
            else break;
        }
        int start = position;
        while (position < bytes.Length && bytes[position] is >= (byte)'0' and <= (byte)'9') position++;
        if (start == position || position - start > 9)
            throw new InvalidDataException($"{source}: PPM {what} is missing or not a number");
        return int.Parse(Encoding.ASCII.GetString(bytes, start, position - start));
    }
}
