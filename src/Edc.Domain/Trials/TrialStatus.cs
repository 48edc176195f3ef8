namespace Edc.Domain.Trials;

public enum TrialStatus
{
    Active,
    Locked,
}
