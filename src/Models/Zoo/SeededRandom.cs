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

    /// <summary>Standard normal (Marsaglia's polar method: no trigonometry, one logarithm per pair).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        var (a, b) = NextGaussianPair();
        _spareGaussian = b;
        return a;
    }

    public double[] Gaussian(int count, double standardDeviation, double mean = 0)
    {
        var values = new double[count];
        int i = 0;
        for (; i + 1 < count; i += 2)
        {
            var (a, b) = NextGaussianPair();
            values[i] = mean + standardDeviation * a;
            values[i + 1] = mean + standardDeviation * b;
        }
        if (i < count) values[i] = mean + standardDeviation * NextGaussian();
        return values;
    }

    private (double, double) NextGaussianPair()
    {
        while (true)
        {
            double u = 2 * NextDouble() - 1, v = 2 * NextDouble() - 1, r = u * u + v * v;
            if (r is > 0 and < 1)
            {
                double factor = Math.Sqrt(-2 * Math.Log(r) / r);
                return (u * factor, v * factor);
            }
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
