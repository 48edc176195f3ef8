using Edc.Domain.Analysis;

namespace Edc.Api.Features.Analysis;

/// <summary>A test's statistic (V for the signed-rank test, W for the rank-sum test), two-sided p-value, and whether it is exact.</summary>
public sealed record TestView(double Statistic, double PValue, bool Exact)
{
    public static TestView? From(TestResult? result) => result is null ? null : new(result.Statistic, result.PValue, result.Exact);
}
