namespace Edc.Domain.Analysis;

/// <summary>The standard normal distribution, to double precision.</summary>
public static class Normal
{
    /// <summary>The 97.5th percentile: a 95% two-sided interval is ± this many standard errors.</summary>
    public const double Z975 = 1.959963984540054;

    /// <summary>
    /// P(Z ≤ x), by Hart's algorithm 5666 as given by West (Wilmott Magazine 2005, "Better approximations to cumulative
    /// normal functions"): absolute error below 1e-15, and a tail beyond 7 standard deviations within 1e-6 of its size.
    /// </summary>
    public static double Cdf(double x)
    {
        var z = Math.Abs(x);
        double tail;
        if (z > 37)
        {
            tail = 0;
        }
        else if (z < 7.07106781186547)
        {
            var numerator = ((((((0.0352624965998911 * z) + 0.700383064443688) * z + 6.37396220353165) * z + 33.912866078383) * z
                + 112.079291497871) * z + 221.213596169931) * z + 220.206867912376;
            var denominator = (((((((0.0883883476483184 * z) + 1.75566716318264) * z + 16.064177579207) * z + 86.7807322029461) * z
                + 296.564248779674) * z + 637.333633378831) * z + 793.826512519948) * z + 440.413735824752;
            tail = Math.Exp(-z * z / 2) * numerator / denominator;
        }
        else
        {
            var fraction = z + (1 / (z + (2 / (z + (3 / (z + (4 / (z + 0.65))))))));
            tail = Math.Exp(-z * z / 2) / fraction / 2.506628274631;
        }

        return x > 0 ? 1 - tail : tail;
    }

    /// <summary>The two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|).</summary>
    public static double TwoSidedP(double z) => Math.Min(1, 2 * Cdf(-Math.Abs(z)));
}
