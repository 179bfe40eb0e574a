namespace CoPriv.Network.Tests;

/// <summary>
/// Tests that measure real time (emulation, throughput) run alone, after the rest of the assembly, so that the
/// other tests do not take the two cores from under them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "timing-sensitive";
}
