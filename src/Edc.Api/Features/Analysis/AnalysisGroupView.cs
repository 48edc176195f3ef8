namespace Edc.Api.Features.Analysis;

/// <summary>
/// One group of the analysis, named by its arm, or by its masked label for the board before the final unblinding; with
/// its participants' scores (ordered by value, not by participant) for a paired plot.
/// </summary>
public sealed record AnalysisGroupView(
    string Name,
    int N,
    QuartilesView? Baseline,
    QuartilesView? Final,
    QuartilesView? Change,
    TestView? WithinGroup,
    AdverseEventCountsView AdverseEvents,
    IReadOnlyList<PairedScoresView> Scores);
