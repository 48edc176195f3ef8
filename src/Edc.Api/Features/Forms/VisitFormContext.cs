using Edc.Api.Common;
using Edc.Api.Common.Changes;
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
/// caller may see: 404 otherwise), the visit, the form's record there if saved and its review (verified, frozen) if any;
/// then the trial's catalog, and the form, which the visit must collect (404 otherwise). Loaded for a change (given its
/// <see cref="ClinicalDataChanges"/>), the record and what the change can touch are tracked and handed to the rules.
/// </summary>
internal sealed record VisitFormContext(
    Trial Trial, Participant Participant, ScheduledVisit Visit, FormRecord? Record, FormReview? Review, FormCatalog Catalog, VersionedForm Form)
{
    // One round trip, compiled once (a query built per request costs more than its statement): the trial, the participant
    // at the caller's sites, the visit and the form's record there, each but the trial possibly absent; for a change, also
    // what it can touch besides the review (the valid signatures of the visit and the casebook, the form's automatic
    // queries), so that ClinicalDataChanges needs no round trip of its own.
    private static readonly Func<EdcDbContext, Guid, Guid, bool, Guid[], string, string, bool, CancellationToken, Task<Found?>> Load = EF.CompileAsyncQuery(
        (EdcDbContext db, Guid trialId, Guid participantId, bool allSites, Guid[] siteIds, string visitCode, string formCode, bool forChange, CancellationToken cancellationToken) => (
                from t in db.Trials.Where(t => t.Id == trialId)
                from p in db.Participants.Where(p => p.TrialId == trialId && p.Id == participantId && (allSites || siteIds.Contains(p.SiteId))).DefaultIfEmpty()
                from v in db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == visitCode).DefaultIfEmpty()
                from r in db.FormRecords.Where(r => r.VisitId == v.Id && r.FormCode == formCode).DefaultIfEmpty()
                from rv in db.FormReviews.Where(rv => rv.VisitId == v.Id && rv.FormCode == formCode).DefaultIfEmpty()
                select new Found
                {
                    Trial = t,
                    Participant = p,
                    Visit = v,
                    Record = r,
                    Review = rv,
                    Signatures = db.Signatures
                        .Where(s => forChange && s.ParticipantId == p.Id && s.InvalidatedAt == null && (s.Scope == SignatureScope.Casebook || s.VisitId == v.Id))
                        .ToList(),
                    AutomaticQueries = db.Queries.Include(q => q.Messages)
                        .Where(q => forChange && q.ParticipantId == p.Id && q.Automatic != null && q.FormCode == formCode)
                        .ToList(),
                })
            .AsNoTracking()
            .SingleOrDefault());

    public static async Task<VisitFormContext> LoadAsync(
        EdcDbContext db, VisibleData visible, FormCatalogs catalogs, Guid trialId, Guid participantId, string visitCode, string formCode,
        ClinicalDataChanges? changes, CancellationToken cancellationToken)
    {
        var (allSites, siteIds) = visible.SiteFilter;
        var found = await Load(db, trialId, participantId, allSites, siteIds, visitCode, formCode, changes is not null, cancellationToken);
        if (found?.Participant is null)
        {
            throw new NotFoundException("The participant");
        }

        var visit = found.Visit ?? throw new NotFoundException("The visit");

        // A save changes the record, and what the rules of a change touch: they alone are tracked, not the trial, the
        // participant and the visit it reads.
        if (changes is not null)
        {
            if (found.Record is { } saved)
            {
                db.FormRecords.Attach(saved);
            }

            var review = found.Review is { } read ? db.FormReviews.Attach(read).Entity : null;
            found.Signatures.ForEach(s => db.Signatures.Attach(s));
            found.AutomaticQueries.ForEach(q => db.Queries.Attach(q));
            changes.ReadAhead(
                new TouchedData(review is null ? [] : [review], found.Signatures, found.AutomaticQueries, new Dictionary<Guid, string> { [visit.Id] = visit.Code }),
                c => c.ParticipantId == found.Participant.Id && c.VisitId == visit.Id && c.FormCode == formCode && c.LogEntryId is null);
        }

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

        public required List<Signature> Signatures { get; init; }

        public required List<DataQuery> AutomaticQueries { get; init; }
    }
}
