using Edc.Api.Common;
using Edc.Api.Features.Participants;
using Edc.Api.Features.Trials;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>
    /// The same for a change under <paramref name="write"/>, whose trial is already read (FOR SHARE): the participant and
    /// the visit in one query. A participant the caller may see is at one of the caller's sites of this trial.
    /// </summary>
    public async Task<(Participant Participant, ScheduledVisit Visit)> GetForChangeAsync(
        TrialWrite write, Guid participantId, string visitCode, CancellationToken cancellationToken)
    {
        // A left join on the unique (participant, code) index; a FirstOrDefault here would rank every visit of that code.
        var found = await (
                from p in participants.Visible(write.Trial.Id).Where(p => p.Id == participantId)
                from v in db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == visitCode).DefaultIfEmpty()
                select new { Participant = p, Visit = v })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The participant");
        write.Trial.RequireOpenForData();
        return (found.Participant, found.Visit ?? throw new NotFoundException("The visit"));
    }
}
