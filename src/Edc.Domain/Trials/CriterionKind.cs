namespace Edc.Domain.Trials;

public enum CriterionKind
{
    Inclusion,
    Exclusion,
}
