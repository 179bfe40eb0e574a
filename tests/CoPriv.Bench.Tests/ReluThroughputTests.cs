using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;
using CoPriv.Protocols.Ot;

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

    [Fact]
    public void Under_ferret_each_run_takes_cots_made_before_it_and_the_amortized_rate_counts_their_making()
    {
        var r = ReluThroughput.Measure(new Ring(41), 2_048, runs: 3, warmups: 1, otBackend: OtBackend.FerretTest);
        Assert.True(r.OutputsVerified);
        Assert.Equal(r.PredictedCost, r.Cost);
        Assert.True(r.CotsGeneratedAhead);
        Assert.Equal(3, r.Generation!.Count);
        // A run takes about thirteen of the test parameters' batches: every run had some made before it.
        Assert.All(r.Generation, t => Assert.True(t > TimeSpan.Zero));
        Assert.Equal(2_048.0 * 3 / (r.Runs.Sum(t => t.TotalSeconds) + r.GenerationSeconds), r.AmortizedReluPerSecond, 6);
        Assert.True(r.AmortizedReluPerSecond < 2_048.0 * 3 / r.Runs.Sum(t => t.TotalSeconds));

        var iknp = ReluThroughput.Measure(new Ring(41), 2_048, runs: 1, warmups: 1);
        Assert.False(iknp.CotsGeneratedAhead);
        Assert.Equal(0, iknp.GenerationSeconds);
    }
}
