namespace CoPriv.Bench.Tests;

/// <summary>The harness behind `copriv bench ot` checks its outputs and reports each kernel's wire bytes per OT.</summary>
public class OtThroughputTests
{
    [Theory]
    [InlineData(OtKernel.RandomCot, 16.0)]
    [InlineData(OtKernel.Correlated41, 16 + 41 / 8.0)]
    [InlineData(OtKernel.OneOf16Bits2, 32 + 16 * 2 / 8.0)]
    public void Each_kernel_reports_verified_outputs_and_its_wire_bytes_per_ot(OtKernel kernel, double bytesPerOt)
    {
        var result = OtThroughput.Measure(kernel, 20_000, 4_096);
        Assert.True(result.OutputsVerified);
        Assert.Equal(bytesPerOt, result.BytesPerOt, 6);
        Assert.True(result.OtsPerSecond > 0);
    }
}
