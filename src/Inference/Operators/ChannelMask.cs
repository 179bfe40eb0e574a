using CoPriv.Models.Lowering;

namespace CoPriv.Inference.Operators;

/// <summary>
/// The gather and scatter of a partial activation (<see cref="RingChannelMaskedActivation"/>): only the kept channels'
/// elements go through the protocol; both parties pass the identity channels' shares on locally, which costs nothing
/// and is exact because the identity of additive shares is each party keeping its own share.
/// </summary>
internal sealed class ChannelMask
{
    private readonly int[]? _kept;

    public ChannelMask(RingChannelMaskedActivation activation)
    {
        _kept = activation.KeptChannels is null ? null : activation.KeptElements();
        KeptCount = activation.KeptElementCount;
    }

    /// <summary>The elements that go through the protocol.</summary>
    public int KeptCount { get; }

    /// <summary>The kept elements of <paramref name="x"/>, in order (x itself when every channel is kept).</summary>
    public ulong[] Gather(ulong[] x)
    {
        if (_kept is null) return x;
        var kept = new ulong[_kept.Length];
        for (int i = 0; i < kept.Length; i++) kept[i] = x[_kept[i]];
        return kept;
    }

    /// <summary>
    /// The output share: <paramref name="activated"/> (the protocol's output on the kept elements) at the kept
    /// positions, <paramref name="x"/> everywhere else.
    /// </summary>
    public ulong[] Scatter(ulong[] x, ulong[] activated)
    {
        if (_kept is null) return activated;
        var y = (ulong[])x.Clone();
        for (int i = 0; i < _kept.Length; i++) y[_kept[i]] = activated[i];
        return y;
    }

    /// <summary>"kept channels 1011…" for the plan signature of a partial activation; empty for a full one.</summary>
    public static string Describe(RingChannelMaskedActivation activation) => activation.KeptChannels is { } kept
        ? $"kept channels {string.Concat(kept.Select(k => k ? '1' : '0'))}"
        : "";
}
