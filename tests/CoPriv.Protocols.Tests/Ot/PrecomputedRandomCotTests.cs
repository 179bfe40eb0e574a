using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;
using static CoPriv.Protocols.Tests.Ot.OtFlavourTests;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>Random COTs made ahead of time turn into chosen and correlated OTs online (Beaver derandomization).</summary>
public class PrecomputedRandomCotTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 127)]
    [InlineData(41, 1000)]
    [InlineData(64, 20_000)]
    public void Derandomized_ots_deliver_the_chosen_messages_and_correlations(int bits, int n)
    {
        var ring = new Ring(bits);
        var data = AesPrg.FromTestSeed(30, (ulong)(bits * 100_000 + n));
        var m0 = Values(data, n, ring);
        var m1 = DifferentValues(data, m0, ring);
        var delta = NonZeroValues(data, n, ring);
        var chosen = Bits(data, n);
        var correlated = Bits(data, n);
        var run = OtPair.Run(
            ctx =>
            {
                var batch = ctx.Ot.Sender.PrecomputeRandomCot(2 * n + 5);
                var x0 = new ulong[n];
                batch.SendChosen(m0, m1, bits);
                batch.SendCorrelated(delta, bits, x0);
                Assert.Equal(5, batch.Remaining);
                return x0;
            },
            ctx =>
            {
                var batch = ctx.Ot.Receiver.PrecomputeRandomCot(2 * n + 5);
                var a = new ulong[n];
                var b = new ulong[n];
                batch.ReceiveChosen(chosen, bits, a);
                batch.ReceiveCorrelated(correlated, bits, b);
                return (a, b);
            });
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(chosen[i] == 0 ? m0[i] : m1[i], run.Client.a[i]);
            Assert.NotEqual(chosen[i] == 0 ? m1[i] : m0[i], run.Client.a[i]);
            Assert.Equal(ring.Add(run.Server[i], correlated[i] * delta[i]), run.Client.b[i]);
        }
        var pre = run.ServerMeter.Total(r => r.Phase == Phase.Preprocessing).TotalBytes;
        Assert.Equal(16L * (2 * n + 5), pre);
    }

    [Fact]
    public void Asking_for_more_than_the_batch_holds_is_refused_locally()
    {
        var run = OtPair.Run(
            ctx =>
            {
                var batch = ctx.Ot.Sender.PrecomputeRandomCot(10);
                return Assert.Throws<ArgumentException>(() => batch.SendChosen(new ulong[11], new ulong[11], 8)).Message;
            },
            ctx => { ctx.Ot.Receiver.PrecomputeRandomCot(10); return 0; });
        Assert.Contains("10 precomputed OTs left", run.Server);
    }
}
