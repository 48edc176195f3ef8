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

    public async Task ApplyAsync(string? reason, CancellationToken cancellationToken)
    {
        var changed = Find(db.ChangeTracker);
        if (changed.Count == 0)
        {
            return;
        }

        var participantIds = changed.Select(c => c.ParticipantId).Distinct().ToArray();
        var locked = await db.Database
            .SqlQuery<bool>($"SELECT locked_at IS NOT NULL AS \"Value\" FROM participants WHERE id = ANY({participantIds}) FOR SHARE")
            .ToListAsync(cancellationToken);
        if (locked.Contains(true))
        {
            throw new RuleViolationException(RuleCodes.ParticipantLocked, "The participant's casebook is locked: a data manager unlocks it for changes.");
        }

        // Read after the participant's row is held, so a freeze or verification committed meanwhile is seen.
        var reviews = await db.FormReviews
            .Where(r => participantIds.Contains(r.ParticipantId) && (r.FrozenAt != null || r.VerifiedAt != null))
            .ToListAsync(cancellationToken);
        foreach (var review in reviews.Where(r => changed.Any(c => c.IsForm(r.VisitId, r.FormCode))))
        {
            review.RequireNotFrozen();
            review.ClearVerification();
        }

        var signatures = await db.Signatures
            .Where(s => participantIds.Contains(s.ParticipantId) && s.InvalidatedAt == null)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var signature in signatures.Where(s => changed.Any(c => c.ParticipantId == s.ParticipantId && s.Covers(c.VisitId))))
        {
            signature.Invalidate(user.Id, now, reason ?? NewDataReason);
        }

        foreach (var follower in followers)
        {
            await follower.FollowAsync(changed, cancellationToken);
        }
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
