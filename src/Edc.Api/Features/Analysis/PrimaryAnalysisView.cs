namespace Edc.Api.Features.Analysis;

/// <summary>
/// The primary analysis: the change in MRSS total from the baseline visit to the final one, in the population of randomized
/// participants with both, per group and between the groups, with the quantile method used and the data's cut-off.
/// </summary>
public sealed record PrimaryAnalysisView(
    Guid TrialId,
    string Endpoint,
    string BaselineVisit,
    string BaselineVisitName,
    string FinalVisit,
    string FinalVisitName,
    string QuantileMethod,
    bool ByArm,
    int Population,
    ExcludedView Excluded,
    IReadOnlyList<AnalysisGroupView> Groups,
    BetweenGroupsView? BetweenGroups,
    DateTimeOffset DataCutoff);
