using Edc.Domain.Forms;

namespace Edc.Domain.Trials;

/// <summary>The protocol facts a trial is defined by, as read from a definition file or a request.</summary>
public sealed record TrialDefinition(
    string Code,
    string Title,
    IReadOnlyList<ArmSpec> Arms,
    IReadOnlyList<VisitSpec> Visits,
    IReadOnlyList<CriterionSpec> EligibilityCriteria,
    IReadOnlyList<FactorSpec> StratificationFactors,
    IReadOnlyList<FormSpec>? Forms = null);
