namespace Edc.Domain.Visits;

public enum VisitStatus
{
    Scheduled,
    Completed,
    Missed,
}
