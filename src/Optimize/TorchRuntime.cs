using TorchSharp;

namespace CoPriv.Optimize;

/// <summary>
/// The process-wide libtorch settings every training entry point applies first: the number of intra-op threads
/// (2 by default, the size of the machines this project runs on; a training run is CPU-bound and more threads than
/// cores only thrash) and the seed of libtorch's global generator, so that a run with the same seed is the same run.
/// </summary>
public static class TorchRuntime
{
    public const int DefaultThreads = 2;

    private static readonly Lock Gate = new();

    /// <summary>Sets libtorch's thread count and seeds its global generator.</summary>
    public static void Prepare(int threads, ulong seed)
    {
        if (threads <= 0) throw new ArgumentException($"libtorch needs at least one thread, got {threads}", nameof(threads));
        lock (Gate)
        {
            if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
            torch.manual_seed(unchecked((long)seed));
        }
    }
}
