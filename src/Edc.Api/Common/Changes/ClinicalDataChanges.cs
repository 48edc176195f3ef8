using Edc.Domain.Common;
using Edc.Domain.Forms;
using Edc.Domain.Safety;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Edc.Api.Common.Changes;

/// <summary>
/// What every change to clinical data must respect and sets off, in one place for every write path (API and pages), just
/// before the change is saved: a locked casebook or a frozen form refuses it (409), the verification of a changed form
/// is cleared and a signature over changed data invalidated (both audited with the change's reason), then the
/// <see cref="IClinicalDataFollower"/>s run. The participant's row is held shared until COMMIT, so a lock, freeze,
/// verification or signing, which hold it exclusively, comes wholly before or wholly after the change.
/// </summary>
public sealed class ClinicalDataChanges(EdcDbContext db, CurrentUser user, TimeProvider clock, IEnumerable<IClinicalDataFollower> followers)
{
    /// <summary>Said of a signature invalidated by a first entry, which carries no reason.</summary>
    public const string NewDataReason = "New data entered after the signing.";

    private (TouchedData Touched, Func<ChangedData, bool> Covers)? _readAhead;

    /// <summary>
    /// What a handler read, tracked, of what its change can touch, in its own query after the participant's row was held
    /// (<see cref="IParticipantDataChange"/>): used instead of reading it again when every change is one it covers.
    /// </summary>
    public void ReadAhead(TouchedData touched, Func<ChangedData, bool> covers) => _readAhead = (touched, covers);

    public async Task ApplyAsync(string? reason, CancellationToken cancellationToken)
    {
        // Used once: a later change in the same scope (a page's circuit) reads afresh.
        var readAhead = _readAhead;
        _readAhead = null;
        var changed = Find(db.ChangeTracker);
        if (changed.Count == 0)
        {
            return;
        }

        var participantIds = changed.Select(c => c.ParticipantId).Distinct().ToArray();
        if (await AnyLockedAsync(participantIds, cancellationToken))
        {
            throw new RuleViolationException(RuleCodes.ParticipantLocked, "The participant's casebook is locked: a data manager unlocks it for changes.");
        }

        var touched = readAhead is { } ahead && changed.All(ahead.Covers)
            ? ahead.Touched
            : await TouchedData.ReadAsync(db, changed, participantIds, cancellationToken);
        foreach (var review in touched.Reviews.Where(r => changed.Any(c => c.IsForm(r.VisitId, r.FormCode))))
        {
            review.RequireNotFrozen();
            review.ClearVerification();
        }

        var now = clock.GetUtcNow();
        foreach (var signature in touched.Signatures.Where(s => changed.Any(c => c.ParticipantId == s.ParticipantId && s.Covers(c.VisitId))))
        {
            signature.Invalidate(user.Id, now, reason ?? NewDataReason);
        }

        foreach (var follower in followers)
        {
            await follower.FollowAsync(changed, touched, cancellationToken);
        }
    }

    /// <summary>
    /// Holds the participants' rows shared until COMMIT and says whether any casebook is locked; the row the transaction
    /// took in its first round trip (<see cref="IParticipantDataChange"/>) is known already.
    /// </summary>
    private async Task<bool> AnyLockedAsync(Guid[] participantIds, CancellationToken cancellationToken)
    {
        var held = db.AuditedTransaction?.Participant;
        if (held is { Locked: true } && participantIds.Contains(held.Id))
        {
            return true;
        }

        var toHold = participantIds.Where(id => id != held?.Id).ToArray();
        return toHold.Length > 0 && (await db.Database
            .SqlQuery<bool>($"SELECT locked_at IS NOT NULL AS \"Value\" FROM participants WHERE id = ANY({toHold}) FOR SHARE")
            .ToListAsync(cancellationToken)).Contains(true);
    }

    private static List<ChangedData> Find(ChangeTracker tracker) =>
        [.. tracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => e.Entity switch
            {
                FormRecord r => new ChangedData(r.ParticipantId, r.VisitId, r.FormCode, r.VisitId is null ? r.Id : null, r),
                MrssAssessment m => new ChangedData(m.ParticipantId, m.VisitId, BuiltInFormCodes.Mrss, null, m),
                InfusionRecord i => new ChangedData(i.ParticipantId, i.VisitId, BuiltInFormCodes.Infusion, null, i),
                AdverseEvent a => new ChangedData(a.ParticipantId, null, BuiltInFormCodes.AdverseEvent, a.Id, a),
                // A visit's own data (date, status), or an unscheduled visit added; not the schedule made at randomization.
                ScheduledVisit v when e.State == EntityState.Modified || v.Day is null => new ChangedData(v.ParticipantId, v.Id, null, null, v),
                _ => null,
            })
            .OfType<ChangedData>()];
}
