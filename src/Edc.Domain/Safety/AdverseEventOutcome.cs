namespace Edc.Domain.Safety;

/// <summary>Outcome of the event (CDASH AEOUT).</summary>
public enum AdverseEventOutcome
{
    Recovered,
    Recovering,
    NotRecovered,
    RecoveredWithSequelae,
    Fatal,
    Unknown,
}
