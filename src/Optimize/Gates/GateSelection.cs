namespace CoPriv.Optimize;

/// <summary>
/// Which gates are kept: the ⌊keep·n⌋ with the smallest α (a large α is a gate the search wants linear), ties going
/// to the group listed first, so the choice is deterministic from the very first step, when every α is 0.
/// </summary>
public static class GateSelection
{
    public static int KeepCount(double keepFraction, int groups)
    {
        if (!(keepFraction >= 0 && keepFraction <= 1))
            throw new ArgumentException($"the kept fraction of gates must be in [0, 1], got {keepFraction}", nameof(keepFraction));
        // 0.7 · 10 is 6.999… in binary; a whole product must not lose a gate to rounding.
        return (int)Math.Floor(keepFraction * groups + 1e-9);
    }

    /// <summary>kept[i] for each gate, given its α.</summary>
    public static bool[] Kept(IReadOnlyList<double> alpha, int keepCount)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        if (keepCount < 0 || keepCount > alpha.Count)
            throw new ArgumentException($"cannot keep {keepCount} of {alpha.Count} gates", nameof(keepCount));
        var kept = new bool[alpha.Count];
        foreach (int i in Enumerable.Range(0, alpha.Count).OrderBy(i => alpha[i]).ThenBy(i => i).Take(keepCount))
            kept[i] = true;
        return kept;
    }
}
