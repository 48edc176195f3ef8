using Edc.Api.Common;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

/// <summary>
/// What a request about one form of one visit starts from, read in one query: the trial, the participant (one the
/// caller may see: 404 otherwise), the visit and the form's record there if saved; then the trial's catalog, and the
/// form, which the visit must collect (404 otherwise).
/// </summary>
internal sealed record VisitFormContext(Trial Trial, Participant Participant, ScheduledVisit Visit, FormRecord? Record, FormCatalog Catalog, VersionedForm Form)
{
    public static async Task<VisitFormContext> LoadAsync(
        EdcDbContext db, VisibleData visible, FormCatalogs catalogs, Guid trialId, Guid participantId, string visitCode, string formCode, bool tracked,
        CancellationToken cancellationToken)
    {
        var query =
            from t in db.Trials.Where(t => t.Id == trialId)
            from p in visible.Participants(trialId).Where(p => p.Id == participantId).DefaultIfEmpty()
            from v in db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == visitCode).DefaultIfEmpty()
            from r in db.FormRecords.Where(r => r.VisitId == v.Id && r.FormCode == formCode).DefaultIfEmpty()
            select new { Trial = t, Participant = p, Visit = v, Record = r };
        var found = await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(cancellationToken);
        if (found?.Participant is null)
        {
            throw new NotFoundException("The participant");
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
        return new VisitFormContext(found.Trial, found.Participant, visit, found.Record, catalog, form);
    }
}
