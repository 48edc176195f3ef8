namespace Edc.Domain.Analysis;

/// <summary>
/// How a sample quantile is taken between order statistics (Hyndman and Fan, The American Statistician 1996;50:361-365).
/// <see cref="HF6"/> places p at (n+1)p, the rule of SPSS, Minitab and GraphPad Prism; <see cref="HF7"/> at (n-1)p+1, R's default.
/// </summary>
public enum QuantileMethod
{
    HF6,
    HF7,
}
