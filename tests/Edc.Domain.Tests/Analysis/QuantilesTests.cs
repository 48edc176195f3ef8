using Edc.Domain.Analysis;

namespace Edc.Domain.Tests.Analysis;

public sealed class QuantilesTests
{
    private static readonly double[] OneToTen = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

    [Fact]
    public void Quartiles_OfOneToTen_AreRsType6AndType7()
    {
        // R documentation, quantile: quantile(1:10, type = 6) gives 2.75, 5.5, 8.25; type 7 (the default) 3.25, 5.5, 7.75.
        Assert.Equal(new Quantiles.Summary(5.5, 2.75, 8.25), Quantiles.Summarize(OneToTen, QuantileMethod.HF6));
        Assert.Equal(new Quantiles.Summary(5.5, 3.25, 7.75), Quantiles.Summarize(OneToTen, QuantileMethod.HF7));
    }

    [Fact]
    public void Type6_BeyondTheEnds_IsTheSmallestOrLargestValue()
    {
        // Hyndman and Fan (1996): with (n+1)p below 1 or above n the quantile is the first or last order statistic.
        Assert.Equal(1, Quantiles.Of([1, 2, 3], 0.1, QuantileMethod.HF6));
        Assert.Equal(3, Quantiles.Of([1, 2, 3], 0.9, QuantileMethod.HF6));
        Assert.Equal(7, Quantiles.Of([7], 0.25, QuantileMethod.HF6));
    }

    [Fact]
    public void Type6_GivesAHalfwayQuartileOfTenIntegersThatType7CannotWithTheSameMedian()
    {
        // The published belimumab baseline, median 27 (IQR 26.5, 31): the quartile 26.5 lies three quarters of the way
        // from the 2nd to the 3rd of ten ordered totals (25 and 27).
        double[] totals = [22, 25, 27, 27, 27, 27, 30, 31, 31, 33];

        Assert.Equal(new Quantiles.Summary(27, 26.5, 31), Quantiles.Summarize(totals, QuantileMethod.HF6));
        Assert.Equal(new Quantiles.Summary(27, 27, 30.75), Quantiles.Summarize(totals, QuantileMethod.HF7));
    }

    [Fact]
    public void Quantile_OfNothingOrOutsideZeroToOne_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Quantiles.Of([], 0.5, QuantileMethod.HF6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Of([1], 1.5, QuantileMethod.HF6));
    }
}
