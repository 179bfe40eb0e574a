namespace CoPriv.Models.Zoo;

/// <summary>
/// A small deterministic generator (SplitMix64) for the zoo's default weights: the same seed gives the same model on
/// every machine and .NET version, which System.Random does not promise. Not for anything secret.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;
    private double? _spareGaussian;

    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>An independent stream for a named part (a layer), so that adding a layer does not shift the others.</summary>
    public static SeededRandom ForPart(ulong seed, string part)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in part)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return new SeededRandom(Mix(seed ^ Mix(hash)));
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public double[] Gaussian(int count, double standardDeviation, double mean = 0)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = mean + standardDeviation * NextGaussian();
        return values;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
