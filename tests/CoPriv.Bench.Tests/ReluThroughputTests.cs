using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Bench.Tests;

/// <summary>The harness behind `copriv bench relu` checks its outputs and reports the traffic the cost model predicts.</summary>
public class ReluThroughputTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Throughput_run_verifies_outputs_and_matches_the_cost_model(int threadsPerParty)
    {
        var r = ReluThroughput.Measure(new Ring(32), 2_048, runs: 2, warmups: 1, threadsPerParty: threadsPerParty);
        Assert.True(r.OutputsVerified);
        Assert.Equal(r.PredictedCost, r.Cost);
        Assert.Equal(2, r.Runs.Count);
        Assert.All(r.Runs, t => Assert.True(t > TimeSpan.Zero));
        Assert.Equal(ReluProtocol.Cost(2_048, new Ring(32)).TotalBytes * 8.0 / 2_048, r.BitsPerElement);
        Assert.True(r.ReluPerSecond > 0);
        Assert.True(r.CpuMicrosecondsPerRelu > 0);
        Assert.Equal(threadsPerParty, r.ThreadsPerParty);
    }
}
