using Edc.Api.Common;
using Edc.Domain.Visits;

namespace Edc.Api.Features.Visits;

/// <summary>
/// A visit of a participant. <see cref="Version"/> counts its versions (the schedule laid out at randomization is the
/// first, its recording the next): the ETag an edit sends back in <c>If-Match</c>. <see cref="Id"/> names the visit in
/// the audit trail. Not sealed: the casebook's visit adds its forms (<c>CasebookVisit</c>).
/// </summary>
public record VisitView(
    Guid Id,
    string Code,
    string Name,
    int? Day,
    DateOnly? TargetDate,
    DateOnly? WindowStart,
    DateOnly? WindowEnd,
    VisitStatus Status,
    DateOnly? ActualDate,
    string? MissedReason,
    bool OutOfWindow,
    bool Unscheduled,
    IReadOnlyList<string> Procedures,
    int Version) : IVersionedView
{
    public static VisitView From(ScheduledVisit v) => new(
        v.Id, v.Code, v.Name, v.Day, v.TargetDate, v.WindowStart, v.WindowEnd, v.Status, v.ActualDate, v.MissedReason,
        v.OutOfWindow, v.Day is null, v.Procedures, v.Version);
}
