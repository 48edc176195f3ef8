using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common.Changes;

/// <summary>
/// How a change loads what it changes, one way per aggregate: tracked, locked where changes to it must follow one
/// another, and only what the caller may see (404 otherwise). Used inside a change's transaction.
/// </summary>
public sealed class ForChange(EdcDbContext db, CurrentUser user)
{
    /// <summary>The trial, tracked; the change's transaction already holds its row.</summary>
    public Task<Trial> TrialAsync(Guid trialId, CancellationToken cancellationToken) =>
        db.Trials.SingleAsync(t => t.Id == trialId, cancellationToken);

    /// <summary>
    /// The trial and a participant of it, as <see cref="TrialAsync"/> and <see cref="ParticipantAsync"/> load them (the
    /// participant's row locked, 404 unless the caller may see it), in one statement.
    /// </summary>
    public async Task<(Trial Trial, Participant Participant)> TrialAndParticipantAsync(Guid trialId, Guid participantId, CancellationToken cancellationToken)
    {
        var found = await (
                from p in db.Participants.FromSql($"SELECT *, xmin FROM participants WHERE id = {participantId} AND trial_id = {trialId} FOR UPDATE")
                join t in db.Trials on p.TrialId equals t.Id
                select new { Trial = t, Participant = p })
            .SingleOrDefaultAsync(cancellationToken);
        var participant = (found?.Participant).VisibleOr404(user, "The participant");
        return (found!.Trial, participant);
    }

    /// <summary>
    /// For a randomization, in one statement: the trial with its visit definitions (untracked) and a participant of it,
    /// as <see cref="ParticipantAsync"/> loads it (tracked, its row locked, 404 unless the caller may see it), and the
    /// transaction-level advisory lock of the participant's stratum (key: trial id, "/", stratum key), so that
    /// randomizations of one stratum follow one another. The stratum is locked as the participant's row is found, before
    /// the row lock: only randomizations take a stratum's lock, and each takes it first.
    /// </summary>
    public async Task<(Trial Trial, Participant Participant)> ToRandomizeAsync(Guid trialId, Guid participantId, CancellationToken cancellationToken)
    {
        var found = await (
                from p in db.Participants.FromSql(
                    $"""
                     SELECT *, xmin FROM participants
                     WHERE id = {participantId} AND trial_id = {trialId}
                       AND pg_advisory_xact_lock(hashtextextended(trial_id::text || '/' || coalesce(stratum_key, {Stratum.None}), 0)) IS NOT NULL
                     FOR UPDATE
                     """)
                join t in db.Trials.Include(t => t.Visits) on p.TrialId equals t.Id
                select new { Trial = t, Participant = p })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);

        // Only the participant changes: it alone is tracked (the trial and its 16 or so visit definitions would lengthen
        // every detection of changes while the stratum is locked).
        var participant = db.Participants.Attach((found?.Participant).VisibleOr404(user, "The participant")).Entity;
        return (found!.Trial, participant);
    }

    /// <summary>
    /// A participant of the trial at a site the caller may see, its row locked until the change commits, so that changes
    /// to one participant (and its visits) follow one another.
    /// </summary>
    public async Task<Participant> ParticipantAsync(Guid trialId, Guid participantId, CancellationToken cancellationToken) =>
        (await db.Participants
            .FromSql($"SELECT *, xmin FROM participants WHERE id = {participantId} AND trial_id = {trialId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken))
        .VisibleOr404(user, "The participant");

    /// <summary>A visit of a participant loaded (and so locked) by <see cref="ParticipantAsync"/>.</summary>
    public async Task<ScheduledVisit> VisitAsync(Participant participant, string visitCode, CancellationToken cancellationToken) =>
        await db.Visits.SingleOrDefaultAsync(v => v.ParticipantId == participant.Id && v.Code == visitCode, cancellationToken)
        ?? throw new NotFoundException("The visit");

    /// <summary>
    /// An adverse event of the trial at a site the caller may see, its row locked so that revisions follow one another.
    /// The row is locked first, then read: EF cannot read the event's report from raw SQL (FromSql names a complex
    /// property's columns by their default names, not by those the model gives them; dotnet/efcore#34818).
    /// </summary>
    public async Task<AdverseEvent> AdverseEventAsync(Guid trialId, Guid adverseEventId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM adverse_events WHERE id = {adverseEventId} AND trial_id = {trialId} FOR UPDATE", cancellationToken);
        return (await db.AdverseEvents.SingleOrDefaultAsync(a => a.Id == adverseEventId && a.TrialId == trialId, cancellationToken))
            .VisibleOr404(user, "The adverse event");
    }
}
