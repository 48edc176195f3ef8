namespace Edc.Domain.Analysis;

/// <summary>A two-sided rank test's statistic and p-value, and whether the p-value is from the exact distribution.</summary>
public sealed record TestResult(double Statistic, double PValue, bool Exact);
