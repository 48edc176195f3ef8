namespace Edc.Domain.Analysis;

/// <summary>
/// The Wilcoxon signed-rank test of paired differences against zero, two-sided, as R's <c>wilcox.test(paired = TRUE)</c>
/// computes it. Zero differences are dropped; the statistic V is the sum of the ranks of the positive differences. With at
/// most <see cref="ExactLimit"/> differences, none zero and no ties, the p-value is from V's exact distribution; otherwise
/// from the normal approximation with the tie correction of the variance and a continuity correction.
/// </summary>
public static class SignedRankTest
{
    public const int ExactLimit = 50;

    public static TestResult Of(IReadOnlyList<double> differences)
    {
        var nonZero = differences.Where(d => d != 0).ToArray();
        var n = nonZero.Length;
        if (n == 0)
        {
            throw new ArgumentException("Every difference is zero: there is nothing to rank.", nameof(differences));
        }

        var (ranks, ties) = Ranks.Of([.. nonZero.Select(Math.Abs)]);
        var v = nonZero.Select((d, i) => d > 0 ? ranks[i] : 0).Sum();
        if (n <= ExactLimit && n == differences.Count && ties.Length == 0)
        {
            return new TestResult(v, ExactP((int)v, n), Exact: true);
        }

        var centred = v - (n * (n + 1) / 4.0);
        var sigma = Math.Sqrt((n * (n + 1.0) * ((2 * n) + 1) / 24) - (Ranks.TieTerm(ties) / 48));
        var z = (centred - (0.5 * Math.Sign(centred))) / sigma;
        return new TestResult(v, Normal.TwoSidedP(z), Exact: false);
    }

    // P(V ≤ v) and P(V ≥ v) from the number of sign patterns giving each sum of ranks 1..n (2^n in all, exact in a double up to n = 50).
    private static double ExactP(int v, int n)
    {
        var max = n * (n + 1) / 2;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (var rank = 1; rank <= n; rank++)
        {
            for (var sum = max; sum >= rank; sum--)
            {
                counts[sum] += counts[sum - rank];
            }
        }

        var total = Math.Pow(2, n);
        var lower = counts.Take(v + 1).Sum() / total;
        var upper = counts.Skip(v).Sum() / total;
        return Math.Min(1, 2 * Math.Min(lower, upper));
    }
}
