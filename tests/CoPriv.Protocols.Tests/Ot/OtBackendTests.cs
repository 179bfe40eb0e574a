using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.NonLinear;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Tests.Ot;

/// <summary>
/// Backends are chosen by name, and every cost function computes from the figures of the backend it is given, not
/// from IKNP's constants: a hypothetical backend with other row sizes changes each cost by exactly rows × difference.
/// </summary>
public class OtBackendTests
{
    /// <summary>IKNP's figures with 4-byte two-message rows and 8-byte 1-of-N rows; everything else as IKNP.</summary>
    private static readonly OtBackendCosts SmallRows = OtBackend.Iknp.Costs with { TwoMessageRequestBits = 32, OneOfNRequestBits = 64 };

    [Theory]
    [InlineData("iknp")]
    [InlineData("IKNP")]
    [InlineData(" iknp ")]
    public void Iknp_is_found_by_its_name(string name)
    {
        Assert.Same(OtBackend.Iknp, OtBackend.Parse(name));
    }

    [Fact]
    public void An_unknown_backend_name_is_rejected_with_the_supported_names()
    {
        var error = Assert.Throws<ArgumentException>(() => OtBackend.Parse("silent"));
        Assert.Equal("unknown OT backend 'silent'; known backends: iknp, ferret", error.Message);
    }

    [Fact]
    public void Iknp_costs_are_16_byte_rows_32_byte_one_of_n_rows_and_8354_setup_bytes()
    {
        Assert.Equal(new OtBackendCosts(128, 256, false, false, 8_354, 8), OtBackend.Iknp.Costs);
    }

    [Fact]
    public void A_session_reports_the_costs_of_the_backend_it_was_established_with()
    {
        var run = OtPair.Run(ctx => ctx.OtCosts, ctx => ctx.Ot.Backend, otBackend: OtBackend.Parse("iknp"));
        Assert.Equal(OtBackend.Iknp.Costs, run.Server);
        Assert.Same(OtBackend.Iknp, run.Client);
    }

    [Fact]
    public void Ot_call_costs_charge_the_receiver_the_backend_row_per_ot()
    {
        const int n = 1000, bits = 41, count = 300, choices = 16;
        var iknp = OtBackend.Iknp.Costs;
        Assert.Equal(iknp.Correlated(n, bits) with { ReceiverBytes = 4L * n }, SmallRows.Correlated(n, bits));
        Assert.Equal(iknp.Chosen(n, bits) with { ReceiverBytes = 4L * n }, SmallRows.Chosen(n, bits));
        Assert.Equal(iknp.RandomCot(n) with { ReceiverBytes = 4L * n }, SmallRows.RandomCot(n));
        Assert.Equal(iknp.CorrelatedPacked(n, 3, 8) with { ReceiverBytes = 4L * n }, SmallRows.CorrelatedPacked(n, 3, 8));
        Assert.Equal(iknp.OneOfN(count, choices, 2) with { ReceiverBytes = 8L * count }, SmallRows.OneOfN(count, choices, 2));
        // The online flips of a derandomized OT are the OT-flavour layer's, the same under every backend.
        Assert.Equal(iknp.DerandomizedCorrelated(n, bits), SmallRows.DerandomizedCorrelated(n, bits));
    }

    [Fact]
    public void Protocol_costs_thread_the_backend_costs_down_to_each_ot_call()
    {
        const int n = 1000;
        var ring = new Ring(37);
        // Two correlated OTs per element (one in each direction), 12 bytes fewer each.
        Assert.Equal(Multiplexer.Cost(n, ring).TotalBytes - 2L * n * 12, Multiplexer.Cost(n, ring, SmallRows).TotalBytes);
        // One 1-of-16 OT per two triples, 24 bytes fewer each.
        Assert.Equal(BitTriples.Cost(n).TotalBytes - BitTriples.OtCount(n) * 24, BitTriples.Cost(n, SmallRows).TotalBytes);
        Assert.Equal(ReluProtocol.Cost(n, ring), ReluProtocol.Cost(n, ring, otCosts: OtBackend.Iknp.Costs));
        Assert.True(ReluProtocol.Cost(n, ring, otCosts: SmallRows).TotalBytes < ReluProtocol.Cost(n, ring).TotalBytes);
    }

    [Fact]
    public void Matrix_product_costs_charge_the_backend_row_per_correlated_ot()
    {
        const int ell = 37;
        var shape = new MatMulShape(16, 64, 9);
        // The client receives: one OT per bit of each entry of B1 (D2·D3·ℓ), its rows 12 bytes smaller.
        long ots = (long)shape.D2 * shape.D3 * ell;
        var iknp = OtMatMul.Cost(OtBackend.Iknp.Costs, shape, ell, OtOrientation.ClientReceives);
        var small = OtMatMul.Cost(SmallRows, shape, ell, OtOrientation.ClientReceives);
        Assert.Equal(iknp.TotalBytes - 12 * ots, small.TotalBytes);
        Assert.Equal(iknp.SentBy(PartyRole.Server), small.SentBy(PartyRole.Server));
    }
}
