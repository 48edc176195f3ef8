namespace Edc.Api.Features.Analysis;

/// <summary>
/// The rank-sum test of the change between the first and the second group, with the Hodges-Lehmann difference (first
/// less second) and its 95% confidence interval.
/// </summary>
public sealed record BetweenGroupsView(double Statistic, double PValue, bool Exact, double Difference, double Lower, double Upper);
