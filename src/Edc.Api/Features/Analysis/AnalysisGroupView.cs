namespace Edc.Api.Features.Analysis;

/// <summary>One group of the analysis: arm name, or masked label for the board before the final unblinding.</summary>
public sealed record AnalysisGroupView(
    string Group, int N, QuartilesView? Baseline, QuartilesView? Final, QuartilesView? Change, TestView? WithinGroup, AdverseEventCountsView AdverseEvents);
