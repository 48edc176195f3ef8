using Edc.Domain.Visits;

namespace Edc.Api.Features.Visits;

public sealed record VisitView(
    string Code,
    string Name,
    int? Day,
    DateOnly? TargetDate,
    DateOnly? WindowStart,
    DateOnly? WindowEnd,
    string Status,
    DateOnly? ActualDate,
    string? MissedReason,
    bool OutOfWindow,
    bool Unscheduled,
    IReadOnlyList<string> Procedures)
{
    public static VisitView From(ScheduledVisit v) => new(
        v.Code, v.Name, v.Day, v.TargetDate, v.WindowStart, v.WindowEnd, v.Status.ToString(), v.ActualDate, v.MissedReason,
        v.OutOfWindow, v.Day is null, v.Procedures);
}
