using TorchSharp;
using static TorchSharp.torch;
using ModelTensor = CoPriv.Models.Tensors.Tensor;

namespace CoPriv.Optimize;

/// <summary>Copies between the graph's double arrays and libtorch tensors.</summary>
internal static class TorchTensors
{
    public static Tensor From(double[] values, long[] shape, ScalarType dtype) =>
        dtype == ScalarType.Float64
            ? torch.tensor(values, shape, ScalarType.Float64)
            : torch.tensor(values.Select(v => (float)v).ToArray(), shape, dtype);

    /// <summary>The values of a tensor, row-major, as doubles (a float32 value converts exactly).</summary>
    public static double[] ToDoubles(Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        var flat = tensor.detach().contiguous().reshape(-1);
        return flat.dtype == ScalarType.Float64
            ? flat.data<double>().ToArray()
            : flat.to_type(ScalarType.Float32).data<float>().ToArray().Select(v => (double)v).ToArray();
    }

    /// <summary>One image of the graph ([C, H, W]) or a vector as a batch of one ([1, C, H, W], [1, F]).</summary>
    public static Tensor Batch(ModelTensor image, ScalarType dtype) =>
        From(image.Data, [1, .. image.Shape.Dimensions.Select(d => (long)d)], dtype);

    /// <summary>Several images of one shape as one batch.</summary>
    public static Tensor Batch(IReadOnlyList<ModelTensor> images, ScalarType dtype)
    {
        if (images.Count == 0) throw new ArgumentException("a batch needs at least one image", nameof(images));
        var shape = images[0].Shape;
        int per = shape.ElementCount;
        var values = new double[images.Count * per];
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i].Shape != shape)
                throw new ArgumentException($"image {i} has shape {images[i].Shape}, image 0 has {shape}", nameof(images));
            images[i].Data.CopyTo(values, i * per);
        }
        return From(values, [images.Count, .. shape.Dimensions.Select(d => (long)d)], dtype);
    }

    public static void Assign(Tensor target, double[] values)
    {
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
            target.copy_(From(values, target.shape, target.dtype));
    }
}
