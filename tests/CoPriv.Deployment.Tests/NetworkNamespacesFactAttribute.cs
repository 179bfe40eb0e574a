namespace CoPriv.Deployment.Tests;

/// <summary>
/// A heavy test (COPRIV_HEAVY_TESTS=1, like <see cref="CoPriv.TestSupport.HeavyFactAttribute"/>) that also needs to
/// create network namespaces; where it cannot (not root, no iproute2, no permission) it is reported as skipped with
/// the reason, decided when the tests are discovered.
/// </summary>
public sealed class NetworkNamespacesFactAttribute : FactAttribute
{
    public NetworkNamespacesFactAttribute()
    {
        if (!CoPriv.TestSupport.HeavyTests.Enabled)
            Skip = CoPriv.TestSupport.HeavyTests.SkipReason;
        else if (NetworkNamespaces.WhyUnavailable() is { } reason)
            Skip = reason;
    }
}
