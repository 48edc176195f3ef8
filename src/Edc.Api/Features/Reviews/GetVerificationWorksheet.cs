using System.Globalization;
using Edc.Api.Common;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Reviews;

public static class GetVerificationWorksheet
{
    /// <summary>Who reads it: the monitors who verify (of the participant's site) and the data managers.</summary>
    public static readonly string[] Readers = [Roles.Monitor, Roles.DataManager];

    [AllowedRoles(Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, Guid ParticipantId) : IRequest<VerificationWorksheet>;

    /// <summary>
    /// Per visit, each form the visit collects with its status and review; for a form verified once, the audit trail's rows of
    /// its data after its last verification (the verification's own audit row marks the point, so that a change that cleared it
    /// shows here with its reason).
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, VerificationWorksheet>
    {
        public async Task<VerificationWorksheet> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, participant) = await visible.TrialAndParticipantAsync(query.TrialId, query.ParticipantId, cancellationToken);
            var visits = await db.Visits.AsNoTracking().Where(v => v.ParticipantId == participant.Id)
                .OrderBy(v => v.Day == null).ThenBy(v => v.Day).ThenBy(v => v.Code)
                .ToListAsync(cancellationToken);
            var records = await db.FormRecords.Where(r => r.ParticipantId == participant.Id && r.VisitId != null)
                .Select(r => new FoundData(r.VisitId!.Value, r.FormCode, r.Id, r.Status, nameof(FormRecord)))
                .ToListAsync(cancellationToken);
            var mrss = await db.MrssAssessments.Where(m => m.ParticipantId == participant.Id)
                .Select(m => new FoundData(m.VisitId, BuiltInFormCodes.Mrss, m.Id, FormStatus.Complete, nameof(MrssAssessment)))
                .ToListAsync(cancellationToken);
            var infusions = await db.Infusions.Where(i => i.ParticipantId == participant.Id)
                .Select(i => new FoundData(i.VisitId, BuiltInFormCodes.Infusion, i.Id, FormStatus.Complete, nameof(InfusionRecord)))
                .ToListAsync(cancellationToken);
            var data = records.Concat(mrss).Concat(infusions).ToDictionary(d => (d.VisitId, d.FormCode));
            var reviews = await db.FormReviews.AsNoTracking().Where(r => r.ParticipantId == participant.Id).ToDictionaryAsync(r => (r.VisitId, r.FormCode), cancellationToken);

            var verifications = await LastVerificationsAsync(trial.Id, reviews.Values, cancellationToken);
            var changes = await ChangesSinceAsync(trial.Id, reviews.Values, data, verifications, cancellationToken);
            var userIds = reviews.Values.Select(r => r.VerifiedBy).OfType<Guid>().Concat(changes.Values.SelectMany(c => c).Select(c => c.UserId).OfType<Guid>()).Distinct().ToArray();
            var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            return new VerificationWorksheet(
                participant.Id, participant.SiteId, participant.ScreeningNumber, participant.LockedAt is not null,
                [.. visits.Select(v => new VerificationVisit(v.Code, v.Name, v.Status, v.ActualDate, [.. catalog.FormsAt(v).Select(code =>
                {
                    var review = reviews.GetValueOrDefault((v.Id, code));
                    var entered = data.GetValueOrDefault((v.Id, code));
                    var last = review is null ? null : verifications.GetValueOrDefault(review.Id);
                    return new VerificationForm(
                        code, catalog.Latest(code)!.Name, entered?.Status ?? FormStatus.NotStarted,
                        review?.IsVerified == true, review?.VerifiedBy is { } by ? names.GetValueOrDefault(by) : null, review?.VerifiedAt,
                        review?.IsFrozen == true, last?.OccurredAt,
                        [.. (review is null ? [] : changes.GetValueOrDefault(review.Id, [])).Select(c => new FormChange(
                            c.OccurredAt, c.UserId is { } id && names.TryGetValue(id, out var name) ? name : c.UserEmail, c.Field, c.OldValue, c.NewValue, c.Reason))]);
                })]))]);
        }

        /// <summary>The audit row of each review's last verification (its VerifiedAt set), by review id.</summary>
        private async Task<Dictionary<Guid, FoundVerification>> LastVerificationsAsync(Guid trialId, IEnumerable<FormReview> reviews, CancellationToken cancellationToken)
        {
            var ids = reviews.Select(r => Key(r.Id)).ToArray();
            var rows = await db.AuditEntries.AsNoTracking()
                .Where(a => a.TrialId == trialId && a.EntityType == nameof(FormReview) && ids.Contains(a.EntityId)
                    && a.Field == nameof(FormReview.VerifiedAt) && a.NewValue != null)
                .GroupBy(a => a.EntityId)
                .Select(g => new { EntityId = g.Key, Sequence = g.Max(a => a.Sequence), OccurredAt = g.Max(a => a.OccurredAt) })
                .ToListAsync(cancellationToken);
            return rows.ToDictionary(r => Guid.Parse(r.EntityId, CultureInfo.InvariantCulture), r => new FoundVerification(r.Sequence, r.OccurredAt));
        }

        /// <summary>The audit rows of each verified-once form's data after its last verification, by review id, in order.</summary>
        private async Task<Dictionary<Guid, List<FoundChange>>> ChangesSinceAsync(
            Guid trialId, IEnumerable<FormReview> reviews, Dictionary<(Guid VisitId, string FormCode), FoundData> data,
            Dictionary<Guid, FoundVerification> verifications, CancellationToken cancellationToken)
        {
            var watched = reviews
                .Where(r => verifications.ContainsKey(r.Id) && data.ContainsKey((r.VisitId, r.FormCode)))
                .Select(r => (Review: r.Id, Data: data[(r.VisitId, r.FormCode)], After: verifications[r.Id].Sequence))
                .ToList();
            if (watched.Count == 0)
            {
                return [];
            }

            var ids = watched.Select(w => Key(w.Data.Id)).ToArray();
            var after = watched.Min(w => w.After);
            var rows = await db.AuditEntries.AsNoTracking()
                .Where(a => a.TrialId == trialId && ids.Contains(a.EntityId) && a.Sequence > after)
                .OrderBy(a => a.Sequence)
                .Select(a => new FoundChange(a.EntityType, a.EntityId, a.Sequence, a.OccurredAt, a.UserId, a.UserEmail, a.Field, a.OldValue, a.NewValue, a.Reason))
                .ToListAsync(cancellationToken);
            return watched.ToDictionary(
                w => w.Review,
                w => rows.Where(a => a.EntityType == w.Data.EntityType && a.EntityId == Key(w.Data.Id) && a.Sequence > w.After).ToList());
        }

        // How the audit trail writes an entity's id.
        private static string Key(Guid id) => id.ToString();

        private sealed record FoundData(Guid VisitId, string FormCode, Guid Id, FormStatus Status, string EntityType);

        private sealed record FoundVerification(long Sequence, DateTimeOffset OccurredAt);

        private sealed record FoundChange(
            string EntityType, string EntityId, long Sequence, DateTimeOffset OccurredAt, Guid? UserId, string? UserEmail, string? Field, string? OldValue, string? NewValue, string? Reason);
    }
}
