namespace CoPriv.Models.Inputs;

/// <summary>
/// An 8-bit RGB image in planar order (all red, then all green, then all blue, each row-major), the layout of a
/// CIFAR record. The client's raw input before normalisation.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] planar)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"image size must be positive, got {width}×{height}");
        ArgumentNullException.ThrowIfNull(planar);
        if (planar.Length != 3 * width * height)
            throw new ArgumentException($"a {width}×{height} RGB image needs {3 * width * height} bytes, got {planar.Length}");
        Width = width;
        Height = height;
        Planar = planar;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>R plane, G plane, B plane.</summary>
    public byte[] Planar { get; }

    /// <summary>Channel value (0 = R, 1 = G, 2 = B) at (x, y).</summary>
    public byte this[int channel, int y, int x] => Planar[(channel * Height + y) * Width + x];

    /// <summary>Throws with both sizes when the image is not <paramref name="width"/>×<paramref name="height"/>.</summary>
    public RgbImage RequireSize(int width, int height, string? source = null)
    {
        if (Width != width || Height != height)
            throw new InvalidDataException(
                $"{source ?? "image"} is {Width}×{Height} pixels; the model takes {width}×{height} RGB images");
        return this;
    }
}
