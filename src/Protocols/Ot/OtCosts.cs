namespace CoPriv.Protocols.Ot;

/// <summary>
/// The costs of <see cref="OtBackend.Iknp"/> (<see cref="OtBackendCosts"/>), for code that costs a session before
/// one exists and has no other backend to choose (plans, tools). Protocol cost functions never read these: they take
/// the costs of the backend in use.
/// </summary>
public static class OtCosts
{
    private static OtBackendCosts Iknp => OtBackend.Iknp.Costs;

    /// <inheritdoc cref="OtBackendCosts.SetupBytesPerParty"/>
    public static long BaseOtSetupBytesPerParty => Iknp.SetupBytesPerParty;

    /// <inheritdoc cref="OtBackendCosts.SetupRounds"/>
    public static long BaseOtSetupRounds => Iknp.SetupRounds;

    /// <inheritdoc cref="OtBackendCosts.Chosen"/>
    public static OtTraffic Chosen(long n, int bits) => Iknp.Chosen(n, bits);

    /// <inheritdoc cref="OtBackendCosts.Correlated"/>
    public static OtTraffic Correlated(long n, int bits) => Iknp.Correlated(n, bits);

    /// <inheritdoc cref="OtBackendCosts.Random"/>
    public static OtTraffic Random(long n) => Iknp.Random(n);

    /// <inheritdoc cref="OtBackendCosts.RandomCot"/>
    public static OtTraffic RandomCot(long n) => Iknp.RandomCot(n);

    /// <inheritdoc cref="OtBackendCosts.PrecomputeRandomCot"/>
    public static OtTraffic PrecomputeRandomCot(long n) => Iknp.PrecomputeRandomCot(n);

    /// <inheritdoc cref="OtBackendCosts.OneOfN"/>
    public static OtTraffic OneOfN(long count, int n, int bits) => Iknp.OneOfN(count, n, bits);

    /// <inheritdoc cref="OtBackendCosts.CorrelatedPacked(long, int, int)"/>
    public static OtTraffic CorrelatedPacked(long n, int valuesPerOt, int bits) => Iknp.CorrelatedPacked(n, valuesPerOt, bits);

    /// <inheritdoc cref="OtBackendCosts.CorrelatedPacked(int, ReadOnlySpan{int})"/>
    public static OtTraffic CorrelatedPacked(int valuesPerOt, ReadOnlySpan<int> bitsPerOt) => Iknp.CorrelatedPacked(valuesPerOt, bitsPerOt);

    /// <inheritdoc cref="OtBackendCosts.DerandomizedChosen"/>
    public static OtTraffic DerandomizedChosen(long n, int bits) => Iknp.DerandomizedChosen(n, bits);

    /// <inheritdoc cref="OtBackendCosts.DerandomizedCorrelated"/>
    public static OtTraffic DerandomizedCorrelated(long n, int bits) => Iknp.DerandomizedCorrelated(n, bits);
}
