using CoPriv.Models.Graph;

namespace CoPriv.Optimize;

/// <summary>
/// What every search-and-fine-tune run (the gates, SNL) reports beside its own choice: the fine-tuned weights, where
/// the data came from, and the held-out accuracy before, after the search and after fine-tuning.
/// </summary>
public abstract class TrainingRunResult
{
    private protected TrainingRunResult(ModelGraph fineTunedGraph, TrainingData data, bool distilled, double accuracyBefore,
        double accuracyAfterSearch, double accuracyAfter, IReadOnlyList<EpochReport> history)
    {
        FineTunedGraph = fineTunedGraph;
        DataSource = data.Source;
        DataDescription = data.Description;
        Distilled = distilled;
        HeldOutAccuracyBefore = accuracyBefore;
        HeldOutAccuracyAfterSearch = accuracyAfterSearch;
        HeldOutAccuracyAfter = accuracyAfter;
        History = history;
    }

    /// <summary>The fine-tuned weights; every activation node is still there (the choice is the subclass's).</summary>
    public ModelGraph FineTunedGraph { get; }

    public TrainingDataSource DataSource { get; }
    public string DataDescription { get; }

    /// <summary>True when the task loss was distillation from the unoptimized network (generated data).</summary>
    public bool Distilled { get; }

    /// <summary>The unoptimized network's held-out accuracy (against the teacher's own classes on generated data: 1).</summary>
    public double HeldOutAccuracyBefore { get; }

    /// <summary>With the final selection applied right after the search, before fine-tuning.</summary>
    public double HeldOutAccuracyAfterSearch { get; }

    public double HeldOutAccuracyAfter { get; }

    /// <summary>Every epoch's report, all phases.</summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>Mean training throughput over all epochs.</summary>
    public double ImagesPerSecond => History.Count == 0 ? 0 : History.Average(r => r.ImagesPerSecond);
}
