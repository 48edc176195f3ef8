namespace Edc.Domain.Analysis;

/// <summary>Ranks with ties given their average rank (mid-ranks), and the sizes of the tied groups.</summary>
internal static class Ranks
{
    public static (double[] Ranks, int[] TieSizes) Of(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var ties = new List<int>();
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = (start + end + 2) / 2.0;
            for (var i = start; i <= end; i++)
            {
                ranks[order[i]] = rank;
            }

            if (end > start)
            {
                ties.Add(end - start + 1);
            }

            start = end + 1;
        }

        return (ranks, [.. ties]);
    }

    /// <summary>Σ(t³ − t) over the tied groups: what ties take from a rank statistic's variance.</summary>
    public static double TieTerm(IEnumerable<int> tieSizes) => tieSizes.Sum(t => ((double)t * t * t) - t);
}
