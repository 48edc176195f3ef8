namespace Edc.Domain.Analysis;

/// <summary>
/// One group's part of the primary analysis: its size, the median and quartiles of baseline, final and change (null
/// for an empty group), and the signed-rank test of the change against zero (null when every change is zero or the
/// group is empty: nothing to rank).
/// </summary>
public sealed record GroupAnalysis(
    string Group, int N, Quantiles.Summary? Baseline, Quantiles.Summary? Final, Quantiles.Summary? Change, TestResult? WithinGroup);
