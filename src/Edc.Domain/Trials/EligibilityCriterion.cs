namespace Edc.Domain.Trials;

/// <summary>An inclusion or exclusion criterion, answered at enrollment.</summary>
public sealed class EligibilityCriterion : TrialPart
{
    private EligibilityCriterion()
    {
    }

    internal EligibilityCriterion(Guid trialId, int ordinal, CriterionSpec spec)
        : base(trialId, ordinal, spec.Code)
    {
        Kind = spec.Kind;
        Text = spec.Text;
    }

    public CriterionKind Kind { get; private set; }

    public string Text { get; private set; } = string.Empty;
}
