namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// Upper bounds on the p-values of the privacy tests. The bit tests use distribution-free concentration bounds
/// (Hoeffding, McDiarmid) rather than the normal approximation, which is not trustworthy that far out in the tail
/// (the Bonferroni-corrected levels are around 1e-11); the chi-square test uses its asymptotic distribution.
/// </summary>
internal static class TailBounds
{
    /// <summary>
    /// P(|p̂ − ½| ≥ t) ≤ 2·exp(−2·n·t²) for the frequency p̂ of ones among n independent uniform bits (Hoeffding).
    /// </summary>
    public static double BitBalance(long ones, long n)
    {
        double t = (double)ones / n - 0.5;
        return Math.Min(1, 2 * Math.Exp(-2 * n * t * t));
    }

    /// <summary>
    /// P(|p̂a − p̂b| ≥ t) ≤ 2·exp(−2t² / (1/na + 1/nb)) for the frequencies of ones in two independent samples of one
    /// Bernoulli distribution, whatever its mean (McDiarmid: one bit moves the difference by 1/na or 1/nb).
    /// </summary>
    public static double TwoSampleDifference(long onesA, long na, long onesB, long nb)
    {
        double t = (double)onesA / na - (double)onesB / nb;
        return Math.Min(1, 2 * Math.Exp(-2 * t * t / (1.0 / na + 1.0 / nb)));
    }

    /// <summary>P(X ≥ x) for X chi-square distributed with <paramref name="degrees"/> degrees of freedom.</summary>
    public static double ChiSquare(double x, int degrees) => x <= 0 ? 1 : UpperRegularizedGamma(degrees / 2.0, x / 2);

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a): the series for x &lt; a + 1, the continued fraction (Lentz) beyond.</summary>
    internal static double UpperRegularizedGamma(double a, double x)
    {
        double logPrefix = -x + a * Math.Log(x) - LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (double ap = a + 1; Math.Abs(term) > Math.Abs(sum) * 1e-16; ap++)
            {
                term *= x / ap;
                sum += term;
            }
            return Math.Max(0, 1 - sum * Math.Exp(logPrefix));
        }
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 1000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-16) break;
        }
        return Math.Exp(logPrefix) * h;
    }

    /// <summary>ln Γ(a) for a &gt; 0 (Lanczos, g = 7, nine terms: about 15 significant digits).</summary>
    internal static double LogGamma(double a)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (a < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * a)) - LogGamma(1 - a);
        a -= 1;
        double sum = c[0];
        for (int i = 1; i < c.Length; i++) sum += c[i] / (a + i);
        double t = a + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (a + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
