using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>The judgements of the privacy harness on synthetic views whose answer is known.</summary>
public sealed class TranscriptStatisticsTests
{
    private const int Runs = 200;

    [Theory]
    [InlineData(3.841459, 1, 0.05)]
    [InlineData(14.06714, 7, 0.05)]
    [InlineData(24.32189, 7, 0.001)]
    public void Chi_square_tail_matches_the_tables(double x, int degrees, double p) =>
        Assert.Equal(p, TailBounds.ChiSquare(x, degrees), 4);

    [Fact]
    public void An_opening_masked_afresh_in_every_run_passes_both_judgements()
    {
        var (findings, _) = Judge((prg, secret) => (secret + prg.NextUInt64()) & 0xFFFF);
        Assert.Empty(findings);
    }

    [Fact]
    public void An_opening_that_shows_the_peer_secret_fails_both_judgements()
    {
        var (findings, _) = Judge((_, secret) => secret);
        Assert.Contains(findings, f => f.StartsWith("(a)", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith("(b)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mask_that_only_hides_the_low_bits_fails()
    {
        var (findings, _) = Judge((prg, secret) => (secret + (prg.NextUInt64() & 0xFF)) & 0xFFFF);
        Assert.NotEmpty(findings);
    }

    /// <summary>Views of eight 16-bit openings, one per run, with the peer secret of sample A or B.</summary>
    private static (IReadOnlyList<string> Findings, string Summary) Judge(Func<AesPrg, ulong, ulong> open)
    {
        var statistics = new TranscriptStatistics(o => o.Kind == ObservationKind.OtOutput);
        var prg = AesPrg.FromTestSeed(40);
        ulong[][] secrets = [[1, 2, 3, 4, 5, 6, 7, 8], [0xFFFF, 0xF0F0, 0x1234, 0, 0x8000, 0x7FFF, 9, 10]];
        for (int run = 0; run < Runs; run++)
        {
            for (int sample = 0; sample < 2; sample++)
            {
                var view = new ReceivedView();
                var values = secrets[sample].Select(s => open(prg, s)).ToArray();
                view.Add("ot ReceiveCorrelated", ObservationKind.OtOutput, values, OtWidths.Uniform(values.Length, 16));
                statistics.Add(sample, view.Ordered());
            }
        }
        return statistics.Judge(TranscriptPrivacy.FalseAlarmRate);
    }
}
