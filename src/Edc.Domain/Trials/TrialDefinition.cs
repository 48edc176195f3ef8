namespace Edc.Domain.Trials;

/// <summary>The protocol facts a trial is defined by, as read from a definition file or a request.</summary>
public sealed record TrialDefinition(
    string Code,
    string Title,
    IReadOnlyList<ArmSpec> Arms,
    IReadOnlyList<VisitSpec> Visits,
    IReadOnlyList<CriterionSpec> EligibilityCriteria,
    IReadOnlyList<FactorSpec> StratificationFactors);

public sealed record ArmSpec(string Code, string Name, int Ratio);

public sealed record VisitSpec(string Code, string Name, int Day, int WindowBefore, int WindowAfter, IReadOnlyList<string> Procedures);

public sealed record CriterionSpec(string Code, CriterionKind Kind, string Text);

public sealed record FactorSpec(string Code, string Name, IReadOnlyList<string> Levels);

public enum CriterionKind
{
    Inclusion,
    Exclusion,
}

public enum TrialStatus
{
    Active,
    Locked,
}
