using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// The smallest rings the sign protocols accept (ℓ = 2 and 3: the millionaires' comparison of the low ℓ − 1 bits is one
/// or two bits wide, a single digit below every radix) give the right sign and ReLU for every ring element under
/// random shares; and every protocol of the ReLU stack refuses a null context as such.
/// </summary>
public sealed class SmallRingTests : IDisposable
{
    private readonly SessionPair _session = SessionPair.Create(seed: 62);

    public void Dispose() => _session.Dispose();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Sign_msb_and_relu_are_exact_for_every_element_of_the_smallest_rings(int bits)
    {
        var ring = new Ring(bits);
        // Every element 64 times, each time under other random shares.
        var x = Enumerable.Range(0, 64 << bits).Select(i => (ulong)i & ring.Mask).ToArray();
        var (x0, x1) = Shares.Split(ring, AesPrg.FromTestSeed(63, (ulong)bits), x);
        int n = x.Length;
        var run = _session.Run(
            ctx => Party(ctx, x0),
            ctx => Party(ctx, x1));
        var relu = Shares.Reconstruct(ring, run.Server.Relu, run.Client.Relu);
        var drelu = Shares.ReconstructBits(run.Server.Drelu, run.Client.Drelu);
        var msb = Shares.ReconstructBits(run.Server.Msb, run.Client.Msb);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(NonLinearReference.Relu(ring, x[i]), relu[i]);
            Assert.Equal(NonLinearReference.Drelu(ring, x[i]), drelu[i]);
            Assert.Equal(NonLinearReference.Msb(ring, x[i]), msb[i]);
        }

        (ulong[] Relu, byte[] Drelu, byte[] Msb) Party(PartyContext ctx, ulong[] share)
        {
            var y = new ulong[n];
            var d = new byte[n];
            var m = new byte[n];
            ReluProtocol.Run(ctx, ring, share, y);
            DreluProtocol.Run(ctx, ring, share, d);
            DreluProtocol.RunMsb(ctx, ring, share, m);
            return (y, d, m);
        }
    }

    // Keyed by name (a plain string) so that each case is a test of its own for mutation testing.
    private static readonly Dictionary<string, Action> NullContextCases = new()
    {
        ["ReluProtocol.Run"] = () => ReluProtocol.Run(null!, new Ring(41), [1], new ulong[1]),
        ["DreluProtocol.Run"] = () => DreluProtocol.Run(null!, new Ring(41), [1], new byte[1]),
        ["DreluProtocol.RunMsb"] = () => DreluProtocol.RunMsb(null!, new Ring(41), [1], new byte[1]),
        ["Multiplexer.Run"] = () => Multiplexer.Run(null!, new Ring(41), [1], [1], new ulong[1]),
        // Empty operands: a null context must be refused before any code that would fail on it differently.
        ["BooleanAnd.Run"] = () => BooleanAnd.Run(null!, [], [], []),
        ["BooleanToArithmetic.Run"] = () => BooleanToArithmetic.Run(null!, new Ring(41), [], []),
        ["BitTripleStore.Fill"] = () => BitTripleStore.Fill(null!, 0),
        ["BitTripleStore.Of"] = () => BitTripleStore.Of(null!),
    };

    public static TheoryData<string> NullContextCaseNames => new(NullContextCases.Keys);

    [Theory]
    [MemberData(nameof(NullContextCaseNames))]
    public void A_null_context_is_refused_as_an_argument(string name) =>
        Assert.Equal("ctx", Assert.Throws<ArgumentNullException>(NullContextCases[name]).ParamName);
}
