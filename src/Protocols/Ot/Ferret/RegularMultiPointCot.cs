using System.Runtime.Intrinsics;

namespace CoPriv.Protocols.Ot;

/// <summary>
/// Multi-point COT with regular noise (Ferret's MPCOT): T independent <see cref="SinglePointCot"/>s, tree τ covering
/// positions [τ·2^h, (τ+1)·2^h) of the length-n output, so the receiver's choice vector e has exactly one 1 per block
/// and w = v ⊕ e·Δ. Tree τ uses level COTs τ·h .. τ·h + h − 1 of the pads and writes message blocks
/// τ·(2h + 1) .. (τ + 1)·(2h + 1) − 1. Trees run in parallel (one GGM PRG per thread).
/// </summary>
internal static class RegularMultiPointCot
{
    /// <summary>Sender: expands the T seeds into v (n blocks of output) and writes the T tree messages.</summary>
    public static void Send(FerretParameters p, Vector128<ulong>[] seeds, Vector128<ulong> delta, Vector128<ulong>[] pad0,
        Vector128<ulong>[] pad1, Vector128<ulong>[] output, Vector128<ulong>[] message, int parallelism)
    {
        int h = p.LogBlock, blocks = SinglePointCot.MessageBlocks(h);
        Parallel.For(0, p.NoisyBlocks, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, () => new GgmPrg(),
            (tree, _, prg) =>
            {
                SinglePointCot.Send(prg, seeds[tree], delta, pad0.AsSpan(tree * h, h), pad1.AsSpan(tree * h, h),
                    output.AsSpan(tree << h, 1 << h), message.AsSpan(tree * blocks, blocks));
                return prg;
            },
            _ => { });
    }

    /// <summary>
    /// Receiver: from its T·h level choices and pads and the sender's messages, fills w (n blocks) and the noisy
    /// position of every block (absolute, τ·2^h + α_τ).
    /// </summary>
    public static void Receive(FerretParameters p, byte[] choices, int choicesOffset, Vector128<ulong>[] pads,
        Vector128<ulong>[] message, Vector128<ulong>[] output, int[] positions, int parallelism)
    {
        int h = p.LogBlock, blocks = SinglePointCot.MessageBlocks(h);
        Parallel.For(0, p.NoisyBlocks, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, () => new GgmPrg(),
            (tree, _, prg) =>
            {
                int alpha = SinglePointCot.Receive(prg, choices.AsSpan(choicesOffset + tree * h, h), pads.AsSpan(tree * h, h),
                    message.AsSpan(tree * blocks, blocks), output.AsSpan(tree << h, 1 << h));
                positions[tree] = (tree << h) + alpha;
                return prg;
            },
            _ => { });
    }
}
