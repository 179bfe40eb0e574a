namespace CoPriv.Models.Tensors;

/// <summary>
/// A real-valued tensor (row-major, <see cref="double"/>) used by the float executor, the model zoo and ONNX
/// import/export. The client's image is one before it is encoded in fixed point; the server's weights are stored as
/// such arrays inside the graph's operators.
/// </summary>
public sealed class Tensor
{
    public Tensor(TensorShape shape, double[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != shape.ElementCount)
            throw new ArgumentException($"tensor of shape {shape} needs {shape.ElementCount} values, got {data.Length}", nameof(data));
        Shape = shape;
        Data = data;
    }

    public Tensor(TensorShape shape) : this(shape, new double[shape.ElementCount]) { }

    public TensorShape Shape { get; }

    /// <summary>The values, row-major (for a feature map: channel, then row, then column).</summary>
    public double[] Data { get; }

    public double this[int c, int y, int x]
    {
        get => Data[(c * Shape[1] + y) * Shape[2] + x];
        set => Data[(c * Shape[1] + y) * Shape[2] + x] = value;
    }

    /// <summary>The same values under another shape with the same element count.</summary>
    public Tensor Reshape(TensorShape shape)
    {
        if (shape.ElementCount != Shape.ElementCount)
            throw new ArgumentException($"cannot reshape {Shape} ({Shape.ElementCount} values) to {shape}", nameof(shape));
        return new Tensor(shape, Data);
    }

    /// <summary>Index of the largest value (the first one on ties), as a classifier's prediction.</summary>
    public int ArgMax()
    {
        int best = 0;
        for (int i = 1; i < Data.Length; i++)
            if (Data[i] > Data[best]) best = i;
        return best;
    }
}
