using Edc.Domain.Analysis;

namespace Edc.Domain.Tests.Analysis;

/// <summary>
/// The Wilcoxon tests against published values. Where a source prints a one-sided p-value, the two-sided one is twice it
/// (the distributions are symmetric). Values marked "computed" were worked out apart from this code, by enumerating the
/// exact distribution or evaluating the textbook formula in double precision (Python's math.erfc).
/// </summary>
public sealed class RankTestTests
{
    // R documentation, wilcox.test, Examples: Hollander & Wolfe (1973), p. 29f, Hamilton depression scale factor of 9
    // patients at the first (x) and second (y) visit after initiation of a therapy.
    private static readonly double[] FirstVisit = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
    private static readonly double[] SecondVisit = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

    // Ibid., Hollander & Wolfe (1973), p. 69f: permeability constants of the human chorioamnion at term (x) and between 12
    // and 26 weeks gestational age (y).
    private static readonly double[] AtTerm = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    private static readonly double[] Earlier = [1.15, 0.88, 0.90, 0.74, 1.21];

    [Fact]
    public void SignedRank_DepressionScale_IsExactWithV40AndPTwiceROnesided0_01953()
    {
        var result = SignedRankTest.Of([.. FirstVisit.Zip(SecondVisit, (x, y) => x - y)]);

        Assert.True(result.Exact);
        Assert.Equal(40, result.Statistic);
        Assert.Equal(0.0390625, result.PValue, 12); // R: V = 40, p-value = 0.01953 (alternative "greater"); 10 of 512 sign patterns
    }

    [Fact]
    public void SignedRank_WithZerosAndTies_UsesTheNormalApproximationWithBothCorrections()
    {
        // Computed: the zero is dropped (n = 9), the three tenths tie at rank 6; V = 2,
        // σ² = 9·10·19/24 − (3³ − 3)/48 = 70.75, z = (2 − 22.5 + 0.5)/σ.
        var result = SignedRankTest.Of([-10, -13, -9, -10, -2, -15, 0, -5, -10, 3]);

        Assert.False(result.Exact);
        Assert.Equal(2, result.Statistic);
        Assert.Equal(0.0174184801153012, result.PValue, 10);
    }

    [Fact]
    public void SignedRank_DepressionScaleBeyondTheExactLimit_WouldUseTheNormalApproximation()
    {
        // Computed: the same nine differences by the normal approximation with the continuity correction,
        // z = (40 − 22.5 − 0.5)/√71.25; shown through 51 differences whose 42 zeros force the approximation.
        var differences = FirstVisit.Zip(SecondVisit, (x, y) => x - y).Concat(Enumerable.Repeat(0.0, 42)).ToArray();

        var result = SignedRankTest.Of(differences);

        Assert.False(result.Exact);
        Assert.Equal(0.0440109840129515, result.PValue, 10);
    }

    [Fact]
    public void SignedRank_AllZero_IsRefused() => Assert.Throws<ArgumentException>(() => SignedRankTest.Of([0, 0]));

    [Fact]
    public void RankSum_Permeability_IsExactWithW35AndPTwiceROnesided0_1272()
    {
        var result = RankSumTest.Of(AtTerm, Earlier);

        Assert.True(result.Test.Exact);
        Assert.Equal(35, result.Test.Statistic);
        Assert.Equal(0.254412254412254, result.Test.PValue, 12); // R: W = 35, p-value = 0.1272 (alternative "greater"); 764 of 3003
        Assert.Equal(0.305, result.Difference, 12); // R: difference in location 0.305 (the median of the 50 differences)

        // Computed as R's wilcox.test(conf.int = TRUE) does: qwilcox(0.025, 10, 5) = 9, so the 9th and the 42nd of the
        // 50 ordered differences.
        Assert.Equal(-0.15, result.Lower, 12);
        Assert.Equal(0.76, result.Upper, 12);
    }

    [Fact]
    public void RankSum_WithTies_UsesTheNormalApproximationWithBothCorrections_AndTheLargeSampleInterval()
    {
        // Computed: ties of sizes 2, 2, 2, 4, 2 among the 20 values; W = 69.5;
        // σ² = 10·10/12 · (21 − Σ(t³ − t)/(20·19)); z = (69.5 − 50 − 0.5)/σ. Hollander and Wolfe's C = ⌊50 − 1.96·√175⌋ = 24.
        double[] x = [27, 26, 31, 25, 33, 28, 27, 30, 24, 35];
        double[] y = [28, 22, 28, 21, 25, 29, 28, 20, 30, 22];

        var result = RankSumTest.Of(x, y);

        Assert.False(result.Test.Exact);
        Assert.Equal(69.5, result.Test.Statistic);
        Assert.Equal(0.148771469089299, result.Test.PValue, 10);
        Assert.Equal(3, result.Difference);
        Assert.Equal(-1, result.Lower);
        Assert.Equal(7, result.Upper);
    }

    [Fact]
    public void RankSum_EveryValueTied_HasP1_NotAnUndefinedP()
    {
        // No spread at all (σ = 0): every arrangement gives the same W, so nothing is more extreme than what was seen.
        var result = RankSumTest.Of([-6, -6, -6], [-6, -6]);

        Assert.False(result.Test.Exact);
        Assert.Equal(3, result.Test.Statistic);
        Assert.Equal(1, result.Test.PValue);
        Assert.Equal((0, 0, 0), (result.Difference, result.Lower, result.Upper));
    }

    [Fact]
    public void RankSum_IsAntisymmetric_SwappingTheSamplesNegatesTheDifference()
    {
        var forward = RankSumTest.Of(AtTerm, Earlier);
        var backward = RankSumTest.Of(Earlier, AtTerm);

        Assert.Equal(forward.Test.PValue, backward.Test.PValue, 12);
        Assert.Equal(-forward.Difference, backward.Difference, 12);
        Assert.Equal(-forward.Upper, backward.Lower, 12);
    }

    [Fact]
    public void Normal_Cdf_MatchesTheTablesAtTheUsualPoints()
    {
        // Abramowitz and Stegun, Handbook of Mathematical Functions, table 26.1.
        Assert.Equal(0.5, Normal.Cdf(0), 15);
        Assert.Equal(0.841344746068543, Normal.Cdf(1), 14);
        Assert.Equal(0.975, Normal.Cdf(Normal.Z975), 14);
        Assert.Equal(0.00134989803163009, Normal.Cdf(-3), 15);
        Assert.Equal(0.05, Normal.TwoSidedP(Normal.Z975), 14);
    }
}
