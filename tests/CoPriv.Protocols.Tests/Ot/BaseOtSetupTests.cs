using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

public class BaseOtSetupTests
{
    [Fact]
    public void Setup_is_booked_as_setup_in_the_base_ot_scope_with_the_documented_bytes()
    {
        var run = OtPair.Run(ctx => 0, ctx => 0);
        foreach (var meter in new[] { run.ServerMeter, run.ClientMeter })
        {
            var records = meter.Snapshot();
            var record = Assert.Single(records);
            Assert.Equal(("session", "base-ot", Phase.Setup), (record.Layer, record.Operator, record.Phase));
            Assert.Equal(OtCosts.BaseOtSetupBytesPerParty, record.BytesSent);
            Assert.Equal(OtCosts.BaseOtSetupBytesPerParty, record.BytesReceived);
        }
        Assert.Equal(OtCosts.BaseOtSetupRounds, run.ServerMeter.Total().Rounds + run.ClientMeter.Total().Rounds);
    }
}
