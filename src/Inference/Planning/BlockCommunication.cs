using CoPriv.Models.Graph;
using CoPriv.Models.Optimization;

namespace CoPriv.Inference.Planning;

/// <summary>
/// What one gated block of a network costs under a run spec, with its activations and without them (removed, then
/// merged where the block allows: <see cref="BlockLinearization.LinearizeAndMerge"/>), from the exact cost model:
/// the figures 2PC-aware pruning weighs its gates by (the saving, Comm_before − Comm_after) and reports per block.
/// "Before" sums the plan's layers of the block's nodes; "saved" is what the whole network saves when only this block
/// goes, so a merge that changes a neighbour (the head folding into the classifier, which then reads 320 features
/// instead of 1280) is counted; "after" is before − saved, at least 0 (the head saves more than its own layers cost).
/// </summary>
public sealed record BlockCommunication(
    string Id,
    ActivationBlockKind Kind,
    long PreprocessingBytesBefore,
    long OnlineBytesBefore,
    long PreprocessingBytesSaved,
    long OnlineBytesSaved,
    bool Merges)
{
    public long TotalBytesBefore => PreprocessingBytesBefore + OnlineBytesBefore;

    public long PreprocessingBytesAfter => Math.Max(0, PreprocessingBytesBefore - PreprocessingBytesSaved);

    public long OnlineBytesAfter => Math.Max(0, OnlineBytesBefore - OnlineBytesSaved);

    /// <summary>What removing the block's activations saves in all (negative when the merged layer costs more).</summary>
    public long SavedBytes => PreprocessingBytesSaved + OnlineBytesSaved;

    /// <summary>
    /// Every block of <paramref name="architecture"/> (weights irrelevant) under <paramref name="spec"/>, in graph
    /// order; one plan per block, planned on <paramref name="parallelism"/> threads.
    /// </summary>
    public static IReadOnlyList<BlockCommunication> Of(ModelGraph architecture, RunSpec spec, int parallelism = 2)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(spec);
        var blocks = ActivationBlocks.Of(architecture);
        var plan = SecureInferencePlan.ForModel(architecture, spec);
        var whole = plan.PredictedCost;
        var result = new BlockCommunication[blocks.Count];
        Parallel.For(0, blocks.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            var block = blocks[i];
            var members = block.ActivationNodes.Concat(block.LinearNodes).ToHashSet(StringComparer.Ordinal);
            var own = plan.Layers.Where(l => members.Contains(l.Node)).Aggregate(Protocols.Core.CommunicationCost.Zero, (sum, l) => sum + l.Predicted);
            var removed = BlockLinearization.LinearizeAndMerge(architecture, [block.Id]);
            var without = SecureInferencePlan.ForModel(removed, spec).PredictedCost;
            bool merges = !ActivationBlocks.Of(removed).Any(b => b.Id == block.Id && b.Kind == block.Kind);
            result[i] = new BlockCommunication(block.Id, block.Kind, own.PreprocessingBytes, own.OnlineBytes,
                whole.PreprocessingBytes - without.PreprocessingBytes, whole.OnlineBytes - without.OnlineBytes, merges);
        });
        return result;
    }
}
