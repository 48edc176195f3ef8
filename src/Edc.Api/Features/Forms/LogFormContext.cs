using Edc.Api.Common;
using Edc.Domain.Common;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

/// <summary>
/// What a request about a participant's log form starts from, in one query: the trial, the participant (one the caller
/// may see: 404 otherwise) and, when named, the entry; then the form, which must be one of the trial's log forms. The
/// adverse-event log is entered through its own endpoints (409).
/// </summary>
internal sealed record LogFormContext(Trial Trial, Participant Participant, FormRecord? Entry, FormCatalog Catalog, VersionedForm Form)
{
    public static async Task<LogFormContext> LoadAsync(
        EdcDbContext db, VisibleData visible, FormCatalogs catalogs, Guid trialId, Guid participantId, string formCode, Guid? entryId, bool tracked,
        CancellationToken cancellationToken)
    {
        var query =
            from p in visible.Participants(trialId).Where(p => p.Id == participantId)
            join t in db.Trials on p.TrialId equals t.Id
            from r in db.FormRecords.Where(r => r.Id == entryId && r.ParticipantId == p.Id && r.FormCode == formCode && r.VisitId == null).DefaultIfEmpty()
            select new { Trial = t, Participant = p, Entry = r };
        var found = await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The participant");
        var catalog = await catalogs.ForAsync(db, trialId, found.Trial.FormsRevision, cancellationToken);
        if (catalog.Latest(formCode) is not { Log: true })
        {
            throw new NotFoundException($"The log form {formCode}");
        }

        if (BuiltInFormCodes.All.Contains(formCode))
        {
            throw new RuleViolationException(RuleCodes.BuiltInForm, "Adverse events are entered and read through …/adverse-events.");
        }

        if (entryId is not null && found.Entry is null)
        {
            throw new NotFoundException("The entry");
        }

        var form = (found.Entry is { } entry ? catalog.Find(formCode, entry.FormVersion) : catalog.Latest(formCode))
            ?? throw new InvalidOperationException($"The form {formCode} has no definition.");
        return new LogFormContext(found.Trial, found.Participant, found.Entry, catalog, form);
    }
}
