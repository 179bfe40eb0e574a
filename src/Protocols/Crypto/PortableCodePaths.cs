namespace CoPriv.Protocols.Crypto;

/// <summary>
/// Makes <see cref="Aes128"/> (platform AES instead of AES-NI) and the OT extension's bit-matrix transpose (scalar
/// instead of AVX2/AVX-512) take their portable paths, for tests and benchmarks of those paths. The choice is an
/// <see cref="AsyncLocal{T}"/> scoped to the logical call that asks: it flows into the threads and tasks that call
/// starts (both parties of a two-party run, the OT pipelines inside), and into nothing else, so a test running in
/// parallel in another class keeps the fast paths and the portable test cannot silently run the fast ones — which a
/// static switch flipped by one test allowed.
/// </summary>
internal static class PortableCodePaths
{
    private static readonly AsyncLocal<bool> ForcedHere = new();

    /// <summary>Whether the current logical call asked for the portable paths.</summary>
    public static bool Forced => ForcedHere.Value;

    /// <summary>The portable paths until disposal, for this call and what it starts.</summary>
    public static IDisposable Force()
    {
        bool previous = ForcedHere.Value;
        ForcedHere.Value = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => ForcedHere.Value = previous;
    }
}
