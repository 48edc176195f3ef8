using Edc.Api.Common;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

/// <summary>
/// What a request about one form of one visit starts from, read in one query: the trial, the participant (one the
/// caller may see: 404 otherwise), the visit, the form's record there if saved (tracked, when a save is to change it) and
/// its review (verified, frozen; untracked) if any; then the trial's catalog, and the form, which the visit must collect
/// (404 otherwise).
/// </summary>
internal sealed record VisitFormContext(
    Trial Trial, Participant Participant, ScheduledVisit Visit, FormRecord? Record, FormReview? Review, FormCatalog Catalog, VersionedForm Form)
{
    // One round trip, compiled once (a query built per request costs more than its statement): the trial, the participant
    // at the caller's sites, the visit and the form's record there, each but the trial possibly absent.
    private static readonly Func<EdcDbContext, Guid, Guid, bool, Guid[], string, string, CancellationToken, Task<Found?>> Load = EF.CompileAsyncQuery(
        (EdcDbContext db, Guid trialId, Guid participantId, bool allSites, Guid[] siteIds, string visitCode, string formCode, CancellationToken cancellationToken) => (
                from t in db.Trials.Where(t => t.Id == trialId)
                from p in db.Participants.Where(p => p.TrialId == trialId && p.Id == participantId && (allSites || siteIds.Contains(p.SiteId))).DefaultIfEmpty()
                from v in db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == visitCode).DefaultIfEmpty()
                from r in db.FormRecords.Where(r => r.VisitId == v.Id && r.FormCode == formCode).DefaultIfEmpty()
                from rv in db.FormReviews.Where(rv => rv.VisitId == v.Id && rv.FormCode == formCode).DefaultIfEmpty()
                select new Found { Trial = t, Participant = p, Visit = v, Record = r, Review = rv })
            .AsNoTracking()
            .SingleOrDefault());

    public static async Task<VisitFormContext> LoadAsync(
        EdcDbContext db, VisibleData visible, FormCatalogs catalogs, Guid trialId, Guid participantId, string visitCode, string formCode, bool tracked,
        CancellationToken cancellationToken)
    {
        var (allSites, siteIds) = visible.SiteFilter;
        var found = await Load(db, trialId, participantId, allSites, siteIds, visitCode, formCode, cancellationToken);
        if (found?.Participant is null)
        {
            throw new NotFoundException("The participant");
        }

        // A save changes the record alone: only it is tracked, not the trial, the participant and the visit it reads.
        if (tracked && found.Record is { } saved)
        {
            db.FormRecords.Attach(saved);
        }

        var visit = found.Visit ?? throw new NotFoundException("The visit");
        var catalog = await catalogs.ForAsync(db, trialId, found.Trial.FormsRevision, cancellationToken);
        if (!catalog.FormsAt(visit).Contains(formCode))
        {
            throw new NotFoundException($"The form {formCode} at {visit.Code}");
        }

        // Data keep the version they were entered under; a first entry takes the newest.
        var form = (found.Record is { } record ? catalog.Find(formCode, record.FormVersion) : catalog.Latest(formCode))
            ?? throw new InvalidOperationException($"The form {formCode} has no definition.");
        return new VisitFormContext(found.Trial, found.Participant, visit, found.Record, found.Review, catalog, form);
    }

    private sealed class Found
    {
        public required Trial Trial { get; init; }

        public Participant? Participant { get; init; }

        public ScheduledVisit? Visit { get; init; }

        public FormRecord? Record { get; init; }

        public FormReview? Review { get; init; }
    }
}
