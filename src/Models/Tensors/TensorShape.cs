namespace CoPriv.Models.Tensors;

/// <summary>
/// The dimensions of a tensor, outermost first. Feature maps of one image are [channels, height, width]; flattened
/// activations and logits are [features]. There is no batch dimension: both parties run one image at a time.
/// Immutable and compared by value.
/// </summary>
public sealed class TensorShape : IEquatable<TensorShape>
{
    private readonly int[] _dims;

    public TensorShape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0)
            throw new ArgumentException("a tensor shape needs at least one dimension", nameof(dims));
        foreach (int d in dims)
            if (d <= 0)
                throw new ArgumentException($"tensor dimensions must be positive, got [{string.Join(", ", dims)}]", nameof(dims));
        _dims = (int[])dims.Clone();
        long count = 1;
        foreach (int d in _dims) count = checked(count * d);
        if (count > int.MaxValue)
            throw new ArgumentException($"tensor [{string.Join(", ", dims)}] has more than {int.MaxValue} elements", nameof(dims));
        ElementCount = (int)count;
    }

    public int Rank => _dims.Length;

    public int this[int axis] => _dims[axis];

    public IReadOnlyList<int> Dimensions => _dims;

    public int ElementCount { get; }

    /// <summary>Channels of a [C, H, W] feature map.</summary>
    public int Channels => RequireFeatureMap()[0];

    /// <summary>Height of a [C, H, W] feature map.</summary>
    public int Height => RequireFeatureMap()[1];

    /// <summary>Width of a [C, H, W] feature map.</summary>
    public int Width => RequireFeatureMap()[2];

    public bool IsFeatureMap => Rank == 3;

    public static TensorShape FeatureMap(int channels, int height, int width) => new(channels, height, width);

    public static TensorShape Vector(int length) => new(length);

    private int[] RequireFeatureMap()
    {
        if (Rank != 3)
            throw new InvalidOperationException($"shape {this} is not a [channels, height, width] feature map");
        return _dims;
    }

    public bool Equals(TensorShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => obj is TensorShape s && Equals(s);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    public static bool operator ==(TensorShape? a, TensorShape? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(TensorShape? a, TensorShape? b) => !(a == b);

    public override string ToString() => $"[{string.Join(", ", _dims)}]";
}
