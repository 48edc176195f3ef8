namespace Edc.Domain.Safety;

/// <summary>Action taken with the study treatment (CDASH AEACN).</summary>
public enum ActionTaken
{
    DoseNotChanged,
    DoseReduced,
    DoseIncreased,
    DrugInterrupted,
    DrugWithdrawn,
    NotApplicable,
    Unknown,
}
