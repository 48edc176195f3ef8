namespace Edc.Domain.Analysis;

/// <summary>
/// The Wilcoxon rank-sum (Mann-Whitney) test of two independent samples, two-sided, as R's <c>wilcox.test(x, y)</c>
/// computes it, with the Hodges-Lehmann estimate of the difference x − y and its 95% confidence interval. The statistic W
/// is the rank sum of x less n(n+1)/2. With both samples of at most <see cref="ExactLimit"/> and no ties, the p-value and
/// the interval come from W's exact distribution (the interval as R's: between the order statistics of the pairwise
/// differences that the distribution's 2.5% quantile names); otherwise the p-value is from the normal approximation
/// with the tie and continuity corrections, and the interval from the large-sample approximation of Hollander and Wolfe
/// (Nonparametric Statistical Methods, 2nd ed., 1999, section 4.3), without a tie correction.
/// </summary>
public static class RankSumTest
{
    public const int ExactLimit = 50;

    public sealed record Result(TestResult Test, double Difference, double Lower, double Upper);

    public static Result Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int m = x.Count, n = y.Count;
        if (m == 0 || n == 0)
        {
            throw new ArgumentException("Each sample needs at least one value.", m == 0 ? nameof(x) : nameof(y));
        }

        var (ranks, ties) = Ranks.Of([.. x, .. y]);
        var w = ranks.Take(m).Sum() - (m * (m + 1) / 2.0);
        var differences = x.SelectMany(a => y.Select(b => a - b)).Order().ToArray();
        var difference = Quantiles.Of(differences, 0.5, QuantileMethod.HF7);
        if (m <= ExactLimit && n <= ExactLimit && ties.Length == 0)
        {
            var distribution = Distribution(m, n);
            var lower = distribution.Take((int)w + 1).Sum();
            var upper = distribution.Skip((int)w).Sum();
            var p = Math.Min(1, 2 * Math.Min(lower, upper));

            // R: qu = qwilcox(alpha/2, m, n), at least 1; the interval is (d[qu], d[m n − qu + 1]), 1-based.
            var qu = 0;
            for (var cumulative = distribution[0]; cumulative < 0.025; cumulative += distribution[++qu])
            {
            }

            qu = Math.Max(qu, 1);
            return new Result(new TestResult(w, p, Exact: true), difference, differences[qu - 1], differences[(m * n) - qu]);
        }

        var centred = w - (m * n / 2.0);
        var total = m + n;
        var sigma = Math.Sqrt(m * n / 12.0 * (total + 1 - (Ranks.TieTerm(ties) / (total * (total - 1.0)))));
        // Every value tied (sigma 0): every arrangement of the ranks gives the same W, so the permutation P is 1 (R answers NA).
        var z = sigma == 0 ? 0 : (centred - (0.5 * Math.Sign(centred))) / sigma;

        // Hollander and Wolfe: C = m n / 2 − z(0.975) √(m n (m + n + 1) / 12), the interval (d[C], d[m n + 1 − C]), 1-based.
        var c = Math.Clamp((int)Math.Floor((m * n / 2.0) - (Normal.Z975 * Math.Sqrt(m * n * (total + 1) / 12.0))), 1, m * n);
        return new Result(new TestResult(w, Normal.TwoSidedP(z), Exact: false), difference, differences[c - 1], differences[(m * n) - c]);
    }

    /// <summary>
    /// P(W = w) for w = 0..m n: the coefficients of the Gaussian binomial [m+n choose m] in q, built as the product over
    /// i = 1..m of (1 − q^(n+i)) / (1 − q^i), each step again a Gaussian binomial (so no coefficient turns negative), divided by C(m+n, m).
    /// </summary>
    private static double[] Distribution(int m, int n)
    {
        var counts = new double[(m * n) + 1];
        counts[0] = 1;
        for (var i = 1; i <= m; i++)
        {
            for (var k = (i * n); k >= n + i; k--)
            {
                counts[k] -= counts[k - n - i];
            }

            for (var k = i; k <= i * n; k++)
            {
                counts[k] += counts[k - i];
            }
        }

        var all = counts.Sum();
        return [.. counts.Select(c => c / all)];
    }
}
