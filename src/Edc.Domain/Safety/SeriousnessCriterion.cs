namespace Edc.Domain.Safety;

/// <summary>ICH E2A criteria that make an adverse event serious.</summary>
public enum SeriousnessCriterion
{
    Death,
    LifeThreatening,
    Hospitalization,
    Disability,
    CongenitalAnomaly,
    ImportantMedicalEvent,
}
