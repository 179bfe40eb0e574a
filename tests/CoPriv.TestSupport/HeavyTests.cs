namespace CoPriv.TestSupport;

/// <summary>
/// Whether the heavy tests run (COPRIV_HEAVY_TESTS=1): then <see cref="HeavyFactAttribute"/> and
/// <see cref="HeavyTheoryAttribute"/> tests run, and default tests also check the wall-clock claims they measure
/// (on a quiet machine), which the default suite leaves out because load distorts them.
/// </summary>
public static class HeavyTests
{
    public static bool Enabled => Environment.GetEnvironmentVariable("COPRIV_HEAVY_TESTS") == "1";

    /// <summary>The reason a heavy test is skipped in the default run.</summary>
    public const string SkipReason = "heavy test: set COPRIV_HEAVY_TESTS=1 to run it";
}
