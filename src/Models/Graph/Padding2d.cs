namespace CoPriv.Models.Graph;

/// <summary>
/// Zero padding around a feature map, per side. Asymmetric padding exists in the wild: TensorFlow's "SAME" padding of
/// a stride-2 3×3 convolution (SCI's ResNet-32) pads 0 on top/left and 1 on bottom/right.
/// </summary>
public readonly record struct Padding2d(int Top, int Left, int Bottom, int Right)
{
    public static Padding2d None => default;

    public static Padding2d Symmetric(int pad) => new(pad, pad, pad, pad);

    public bool IsZero => Top == 0 && Left == 0 && Bottom == 0 && Right == 0;

    internal void Validate(string what)
    {
        if (Top < 0 || Left < 0 || Bottom < 0 || Right < 0)
            throw new ArgumentException($"{what}: padding must be non-negative, got {this}");
    }

    public override string ToString() => $"(top {Top}, left {Left}, bottom {Bottom}, right {Right})";
}
