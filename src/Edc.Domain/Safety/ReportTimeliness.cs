namespace Edc.Domain.Safety;

/// <summary>Where an expedited report stands: not sent yet (due or overdue), or sent (on time or late).</summary>
public enum ReportTimeliness
{
    Due,
    Overdue,
    OnTime,
    Late,
}
