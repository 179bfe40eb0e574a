using CoPriv.Models.Tensors;

namespace CoPriv.Inference.Operators;

/// <summary>
/// A public channel mask on a [C, H, W] tensor of shares, split into the elements of the marked channels and the
/// rest: a partial activation runs its protocol on the marked (kept) elements only and both parties pass the rest on
/// locally, which costs nothing and is exact because the identity of additive shares is each party keeping its own
/// share; the truncation after it runs the sign-known protocol on the marked elements and the sign-unknown one on the
/// rest. Null marks every element.
/// </summary>
internal sealed class ChannelMask
{
    private readonly int[]? _marked;
    private readonly int[] _rest;

    public ChannelMask(TensorShape shape, bool[]? channels)
    {
        if (channels is null)
        {
            MarkedCount = shape.ElementCount;
            _rest = [];
            return;
        }
        int per = shape.ElementCount / channels.Length;
        _marked = Enumerable.Range(0, shape.ElementCount).Where(i => channels[i / per]).ToArray();
        _rest = Enumerable.Range(0, shape.ElementCount).Where(i => !channels[i / per]).ToArray();
        MarkedCount = _marked.Length;
    }

    /// <summary>Elements of the marked channels.</summary>
    public int MarkedCount { get; }

    /// <summary>Elements of the other channels.</summary>
    public int RestCount => _rest.Length;

    /// <summary>The marked elements of <paramref name="x"/>, in order (x itself when every channel is marked).</summary>
    public ulong[] Marked(ulong[] x) => _marked is null ? x : Gather(x, _marked);

    /// <summary>The other elements of <paramref name="x"/>, in order.</summary>
    public ulong[] Rest(ulong[] x) => Gather(x, _rest);

    /// <summary>The tensor with <paramref name="marked"/> at the marked positions and <paramref name="rest"/> elsewhere.</summary>
    public ulong[] Merge(ulong[] marked, ulong[] rest)
    {
        if (_marked is null) return marked;
        var y = new ulong[_marked.Length + _rest.Length];
        for (int i = 0; i < _marked.Length; i++) y[_marked[i]] = marked[i];
        for (int i = 0; i < _rest.Length; i++) y[_rest[i]] = rest[i];
        return y;
    }

    /// <summary>"channels 1011…" for a plan signature, or empty for no mask.</summary>
    public static string Describe(string what, bool[]? channels) => channels is null
        ? ""
        : $"{what} {string.Concat(channels.Select(k => k ? '1' : '0'))}";

    private static ulong[] Gather(ulong[] x, int[] indices)
    {
        var y = new ulong[indices.Length];
        for (int i = 0; i < y.Length; i++) y[i] = x[indices[i]];
        return y;
    }
}
