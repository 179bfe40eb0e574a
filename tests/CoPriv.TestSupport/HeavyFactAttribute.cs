namespace CoPriv.TestSupport;

/// <summary>
/// A test too slow for the default run (whole networks, large benchmarks-as-tests), or one that compares wall-clock
/// time, which load on a shared machine distorts (the default suite holds no wall-clock threshold). It runs only when the
/// environment variable COPRIV_HEAVY_TESTS is 1; otherwise it is reported as skipped, with the reason.
/// </summary>
public sealed class HeavyFactAttribute : Xunit.FactAttribute
{
    public HeavyFactAttribute()
    {
        if (!HeavyTests.Enabled) Skip = HeavyTests.SkipReason;
    }
}
