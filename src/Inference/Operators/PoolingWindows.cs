using CoPriv.Models.Execution;
using CoPriv.Models.Graph;
using CoPriv.Models.Tensors;

namespace CoPriv.Inference.Operators;

/// <summary>
/// The flat input indices of every pooling window (padding left out), computed once per layer from the public
/// geometry, in output order: window w holds Indices[Starts[w] .. Starts[w + 1]).
/// </summary>
internal sealed class PoolingWindows
{
    private PoolingWindows(int[] starts, int[] indices)
    {
        Starts = starts;
        Indices = indices;
    }

    public int[] Starts { get; }
    public int[] Indices { get; }
    public int Count => Starts.Length - 1;

    /// <summary>The largest number of input elements in one window.</summary>
    public int MaxSize
    {
        get
        {
            int max = 0;
            for (int w = 0; w < Count; w++) max = Math.Max(max, Starts[w + 1] - Starts[w]);
            return max;
        }
    }

    public static PoolingWindows Of(Pooling2d pool, TensorShape input, TensorShape output)
    {
        var starts = new List<int> { 0 };
        var indices = new List<int>(output.ElementCount * pool.WindowSize);
        FloatKernels.ForEachWindow(pool, input, output, (_, _, _, window) =>
        {
            indices.AddRange(window);
            starts.Add(indices.Count);
        });
        return new PoolingWindows(starts.ToArray(), indices.ToArray());
    }
}
