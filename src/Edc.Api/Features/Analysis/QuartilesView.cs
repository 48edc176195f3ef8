using Edc.Domain.Analysis;

namespace Edc.Api.Features.Analysis;

/// <summary>A median with its first and third quartiles, by the analysis's quantile method.</summary>
public sealed record QuartilesView(double Median, double Q1, double Q3)
{
    public static QuartilesView? From(Quantiles.Summary? summary) => summary is null ? null : new(summary.Median, summary.Q1, summary.Q3);
}
