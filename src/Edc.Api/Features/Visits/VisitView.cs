using Edc.Api.Common;
using Edc.Api.Features.Participants;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

/// <summary>
/// A visit of a participant. <see cref="Version"/> counts its versions (the schedule laid out at randomization is the
/// first, its recording the next): the ETag an edit sends back in <c>If-Match</c>.
/// </summary>
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
    IReadOnlyList<string> Procedures,
    int Version) : IVersionedView
{
    public static VisitView From(ScheduledVisit v) => new(
        v.Code, v.Name, v.Day, v.TargetDate, v.WindowStart, v.WindowEnd, v.Status.ToString(), v.ActualDate, v.MissedReason,
        v.OutOfWindow, v.Day is null, v.Procedures, v.Version);
}

/// <summary>A participant's visit, for a change: the participant must be one the caller may see, in an open trial.</summary>
internal sealed class VisitAccess(EdcDbContext db, ParticipantReader participants)
{
    public async Task<(Trial Trial, Participant Participant, ScheduledVisit Visit)> GetForChangeAsync(
        Guid trialId, Guid participantId, string visitCode, CancellationToken cancellationToken)
    {
        var (trial, participant) = await participants.GetForChangeAsync(trialId, participantId, cancellationToken);
        trial.RequireOpenForData();
        var visit = await db.Visits.SingleOrDefaultAsync(v => v.ParticipantId == participant.Id && v.Code == visitCode, cancellationToken)
            ?? throw new NotFoundException("The visit");
        return (trial, participant, visit);
    }
}
