namespace Edc.Domain.Analysis;

/// <summary>Sample quantiles of a set of numbers, by the Hyndman-Fan method named.</summary>
public static class Quantiles
{
    /// <summary>The p-quantile (0 ≤ p ≤ 1) of <paramref name="values"/>, which need not be sorted; at least one value.</summary>
    public static double Of(IReadOnlyCollection<double> values, double p, QuantileMethod method)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("A quantile needs at least one value.", nameof(values));
        }

        if (p is < 0 or > 1 || double.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), "A quantile's probability is between 0 and 1.");
        }

        var sorted = values.Order().ToArray();
        var n = sorted.Length;

        // h is the 1-based position of the quantile among the order statistics; beyond either end it is that end.
        var h = method == QuantileMethod.HF6 ? (n + 1) * p : ((n - 1) * p) + 1;
        if (h <= 1)
        {
            return sorted[0];
        }

        if (h >= n)
        {
            return sorted[^1];
        }

        var below = (int)Math.Floor(h);
        return sorted[below - 1] + ((h - below) * (sorted[below] - sorted[below - 1]));
    }

    /// <summary>The median and the first and third quartiles.</summary>
    public static Summary Summarize(IReadOnlyCollection<double> values, QuantileMethod method) =>
        new(Of(values, 0.5, method), Of(values, 0.25, method), Of(values, 0.75, method));

    public sealed record Summary(double Median, double Q1, double Q3);
}
