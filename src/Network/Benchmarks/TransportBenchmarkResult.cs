namespace CoPriv.Network.Benchmarks;

/// <summary>One end's measurement of a transport benchmark: payload bytes moved one way and the time they took.</summary>
public sealed record TransportBenchmarkResult(string Transport, long Bytes, int MessageBytes, TimeSpan Elapsed)
{
    public double BytesPerSecond => Bytes / Elapsed.TotalSeconds;
}
