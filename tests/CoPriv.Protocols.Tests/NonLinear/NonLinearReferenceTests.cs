using CoPriv.Protocols.Core;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Protocols.Tests.NonLinear;

/// <summary>
/// The cleartext reference refuses what it cannot compute, as the protocols do, instead of failing somewhere inside
/// (mutation testing found its argument checks unguarded). Its values are checked by the protocols' exactness tests.
/// </summary>
public class NonLinearReferenceTests
{
    private static readonly Ring R = new(16);

    // Keyed by name (a plain string) so that each case is a test of its own for mutation testing.
    private static readonly Dictionary<string, Action> Refusals = new()
    {
        ["divisor 0"] = () => NonLinearReference.DivideFloor(R, 5, 0),
        ["window size 0, nothing to pool"] = () => NonLinearReference.MaxPool(R, [], 0, []),
        ["windows of 2 that do not fit"] = () => NonLinearReference.MaxPool(R, [1, 2, 3], 2, new ulong[2]),
        ["0 classes, no rows"] = () => NonLinearReference.ArgMax(R, [], 0, []),
        ["rows of 3 that do not fit"] = () => NonLinearReference.ArgMax(R, [1, 2, 3, 4], 3, new int[2]),
    };

    public static TheoryData<string> RefusalNames => new(Refusals.Keys);

    [Theory]
    [MemberData(nameof(RefusalNames))]
    public void The_reference_refuses_arguments_it_cannot_compute(string name) =>
        Assert.Throws<ArgumentException>(Refusals[name]);
}
