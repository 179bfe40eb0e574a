using CoPriv.Protocols.Core;

namespace CoPriv.Models.Tensors;

/// <summary>
/// A tensor of ring elements in Z_{2^ℓ} (row-major, each reduced to ℓ bits), with the fixed-point scale (in bits)
/// its values carry. The fixed-point reference executor works on these in the clear; the secure engine holds one
/// additive share of such a tensor per party.
/// </summary>
public sealed class RingTensor
{
    public RingTensor(TensorShape shape, ulong[] data, int scaleBits)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != shape.ElementCount)
            throw new ArgumentException($"ring tensor of shape {shape} needs {shape.ElementCount} values, got {data.Length}", nameof(data));
        if (scaleBits < 0)
            throw new ArgumentException($"fixed-point scale must be non-negative, got {scaleBits}", nameof(scaleBits));
        Shape = shape;
        Data = data;
        ScaleBits = scaleBits;
    }

    public TensorShape Shape { get; }
    public ulong[] Data { get; }

    /// <summary>s of the encoding v ↦ round(v·2^s): the value a ring element stands for is its signed reading / 2^s.</summary>
    public int ScaleBits { get; }

    /// <summary>Encodes a real tensor: round(v·2^scale) mod 2^ℓ per element.</summary>
    public static RingTensor Encode(Tensor tensor, Ring ring, int scaleBits)
    {
        var fixedPoint = new FixedPoint(ring, scaleBits);
        var data = new ulong[tensor.Data.Length];
        fixedPoint.Encode(tensor.Data, data);
        return new RingTensor(tensor.Shape, data, scaleBits);
    }

    /// <summary>Reads the values back as reals: signed reading / 2^scale.</summary>
    public Tensor Decode(Ring ring)
    {
        var values = new double[Data.Length];
        double unit = Math.ScaleB(1.0, ScaleBits);
        for (int i = 0; i < Data.Length; i++) values[i] = ring.ToSigned(Data[i]) / unit;
        return new Tensor(Shape, values);
    }
}
