using Edc.Domain.Analysis;

namespace Edc.Domain.Tests.Analysis;

/// <summary>
/// The primary analysis on ten participants a group whose MRSS totals give the published medians and quartiles
/// (Arthritis Rheumatol 2018;70(2): belimumab 27 (26.5, 31) → 18 (11, 23), change −10 (−13, −9); placebo 28 (22, 28) →
/// 21 (14, 25), change −3 (−15, −1)) by Hyndman-Fan type 6. The p-values were computed independently (Python, the
/// same tie and continuity corrections as R's wilcox.test).
/// </summary>
public sealed class PrimaryAnalysisTests
{
    private static readonly PairedScores[] Belimumab = Pairs(
        [20, 25, 27, 27, 27, 27, 29, 29, 37, 39], [-12, -10, -10, -6, -16, -16, -10, -10, 11, -10]);

    private static readonly PairedScores[] Placebo = Pairs(
        [21, 22, 22, 24, 28, 28, 28, 28, 28, 32], [2, -2, -5, -2, -3, -13, -23, -3, 2, -21]);

    private static PairedScores[] Pairs(int[] baseline, int[] change) => [.. baseline.Zip(change, (b, c) => new PairedScores(b, b + c))];

    private static PrimaryAnalysis Published(QuantileMethod method = QuantileMethod.HF6) =>
        PrimaryAnalysis.Of([("Belimumab", Belimumab), ("Placebo", Placebo)], method);

    [Fact]
    public void Of_ThePublishedData_GivesThePublishedMediansAndQuartilesByHF6()
    {
        var (belimumab, placebo) = (Published().Groups[0], Published().Groups[1]);

        Assert.Equal((10, 10), (belimumab.N, placebo.N));
        Assert.Equal(new Quantiles.Summary(27, 26.5, 31), belimumab.Baseline);
        Assert.Equal(new Quantiles.Summary(18, 11, 23), belimumab.Final);
        Assert.Equal(new Quantiles.Summary(-10, -13, -9), belimumab.Change);
        Assert.Equal(new Quantiles.Summary(28, 22, 28), placebo.Baseline);
        Assert.Equal(new Quantiles.Summary(21, 14, 25), placebo.Final);
        Assert.Equal(new Quantiles.Summary(-3, -15, -1), placebo.Change);
    }

    [Fact]
    public void Of_ThePublishedDataByHF7_CannotGiveTheQuartileOf26Point5()
    {
        Assert.NotEqual(26.5, Published(QuantileMethod.HF7).Groups[0].Baseline!.Q1);
    }

    [Fact]
    public void Of_ThePublishedData_TestsEachGroupsChangeAndTheDifferenceBetweenThem()
    {
        var analysis = Published();

        // Ties among the changes: the normal approximation with tie and continuity corrections.
        var within = analysis.Groups.Select(g => g.WithinGroup!).ToList();
        Assert.All(within, t => Assert.False(t.Exact));
        Assert.Equal(0.0387, within[0].PValue, 4);
        Assert.Equal(0.0239, within[1].PValue, 4);

        var between = analysis.BetweenGroups!;
        Assert.Equal(35, between.Test.Statistic);
        Assert.Equal(0.2687, between.Test.PValue, 4);
        Assert.True(between.Lower <= between.Difference && between.Difference <= between.Upper);
        Assert.True(between.Difference < 0, "the belimumab group's skin score fell more");
    }

    [Fact]
    public void Of_AnEmptyGroup_ReportsItWithoutStatistics_AndNoComparison()
    {
        var analysis = PrimaryAnalysis.Of([("Group A", Belimumab), ("Group B", [])], QuantileMethod.HF6);

        Assert.Equal(0, analysis.Groups[1].N);
        Assert.Null(analysis.Groups[1].Change);
        Assert.Null(analysis.Groups[1].WithinGroup);
        Assert.Null(analysis.BetweenGroups);
    }

    [Fact]
    public void Of_AGroupWhoseChangesAreAllZero_HasNoWithinGroupTest()
    {
        var analysis = PrimaryAnalysis.Of([("Group A", [new PairedScores(20, 20), new PairedScores(25, 25)]), ("Group B", Placebo)], QuantileMethod.HF6);

        Assert.Null(analysis.Groups[0].WithinGroup);
        Assert.NotNull(analysis.BetweenGroups);
    }
}
