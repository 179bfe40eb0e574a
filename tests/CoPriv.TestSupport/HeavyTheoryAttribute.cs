namespace CoPriv.TestSupport;

/// <summary>
/// The theory form of <see cref="HeavyFactAttribute"/>: cases that are too slow for the default run or that compare
/// wall-clock time (which load on a shared machine distorts). They run only when COPRIV_HEAVY_TESTS is 1; otherwise
/// they are reported as skipped, with the reason.
/// </summary>
public sealed class HeavyTheoryAttribute : Xunit.TheoryAttribute
{
    public HeavyTheoryAttribute()
    {
        if (!HeavyTests.Enabled) Skip = HeavyTests.SkipReason;
    }
}
