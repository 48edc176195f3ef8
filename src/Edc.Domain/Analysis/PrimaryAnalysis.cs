namespace Edc.Domain.Analysis;

/// <summary>
/// The primary analysis of a change from baseline in two groups, as the trial's article reports it: per group the median
/// and quartiles of baseline, final and change, and a Wilcoxon signed-rank test of the change; between the groups a
/// Wilcoxon rank-sum test of the change with the Hodges-Lehmann difference (first group less second) and its 95%
/// confidence interval.
/// </summary>
public sealed record PrimaryAnalysis(QuantileMethod Method, IReadOnlyList<GroupAnalysis> Groups, RankSumTest.Result? BetweenGroups)
{
    /// <param name="groups">The groups in the order they are reported; the between-group test needs exactly two, both non-empty.</param>
    public static PrimaryAnalysis Of(IReadOnlyList<(string Group, IReadOnlyList<PairedScores> Scores)> groups, QuantileMethod method)
    {
        var analyses = groups.Select(g => Analyse(g.Group, g.Scores, method)).ToList();
        var between = groups is [{ Scores.Count: > 0 } first, { Scores.Count: > 0 } second]
            ? RankSumTest.Of([.. first.Scores.Select(s => s.Change)], [.. second.Scores.Select(s => s.Change)])
            : null;
        return new PrimaryAnalysis(method, analyses, between);
    }

    private static GroupAnalysis Analyse(string group, IReadOnlyList<PairedScores> scores, QuantileMethod method)
    {
        if (scores.Count == 0)
        {
            return new GroupAnalysis(group, 0, null, null, null, null);
        }

        var changes = scores.Select(s => s.Change).ToList();
        return new GroupAnalysis(
            group,
            scores.Count,
            Quantiles.Summarize([.. scores.Select(s => s.Baseline)], method),
            Quantiles.Summarize([.. scores.Select(s => s.Final)], method),
            Quantiles.Summarize(changes, method),
            changes.Any(c => c != 0) ? SignedRankTest.Of(changes) : null);
    }
}
