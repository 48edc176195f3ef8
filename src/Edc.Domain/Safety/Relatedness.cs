namespace Edc.Domain.Safety;

/// <summary>The investigator's assessment of causality to the study treatment.</summary>
public enum Relatedness
{
    NotRelated,
    Unlikely,
    Possible,
    Probable,
    Definite,
}
