using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Common.Signatures;
using Edc.Domain.Forms;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>
/// Reads an export's participants in batches, by site and screening number, each batch in a fixed number of statements
/// (participants, visits, each kind of record, signatures, arms and, for a transactional file, the audit rows of its
/// records): memory holds one batch, however many participants the trial has.
/// </summary>
internal sealed class OdmBatchReader(
    EdcDbContext db, VisibleData visible, AssignmentGate gate, SignatureViews signatures, FormCatalog catalog, Trial trial, bool withChanges)
{
    public const int BatchSize = 100;

    private static readonly string[] AuditedEntities = [nameof(FormRecord), nameof(MrssAssessment), nameof(InfusionRecord), nameof(AdverseEvent)];

    public async IAsyncEnumerable<OdmBatch> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        OdmBatch.Subject? last = null;
        while (true)
        {
            var subjects = await NextSubjects(last).ToListAsync(cancellationToken);
            if (subjects.Count == 0)
            {
                yield break;
            }

            yield return await ReadBatchAsync(subjects, cancellationToken);
            last = subjects[^1];
        }
    }

    /// <summary>The next batch after the last one written, by site and screening number.</summary>
    private IQueryable<OdmBatch.Subject> NextSubjects(OdmBatch.Subject? after)
    {
        var subjects =
            from p in visible.Participants(trial.Id).AsNoTracking()
            join s in db.Sites on p.SiteId equals s.Id
            select new { p.Id, SiteCode = s.Code, p.ScreeningNumber, p.RandomizationNumber, p.RandomizedAt };
        if (after is not null)
        {
            var (site, number) = (after.SiteCode, after.ScreeningNumber);
            subjects = subjects.Where(x => string.Compare(x.SiteCode, site) > 0 || (x.SiteCode == site && string.Compare(x.ScreeningNumber, number) > 0));
        }

        return subjects.OrderBy(x => x.SiteCode).ThenBy(x => x.ScreeningNumber).Take(BatchSize)
            .Select(x => new OdmBatch.Subject(x.Id, x.SiteCode, x.ScreeningNumber, x.RandomizationNumber, x.RandomizedAt));
    }

    private async Task<OdmBatch> ReadBatchAsync(List<OdmBatch.Subject> subjects, CancellationToken cancellationToken)
    {
        var ids = subjects.Select(s => s.Id).ToList();
        var visits = await db.Visits.AsNoTracking().Where(v => ids.Contains(v.ParticipantId))
            .OrderBy(v => v.Day == null).ThenBy(v => v.Day).ThenBy(v => v.Code)
            .Select(v => new { v.ParticipantId, Visit = new OdmBatch.Visit(v.Id, v.Code, v.Day) })
            .ToListAsync(cancellationToken);

        var records = new List<(Guid ParticipantId, OdmBatch.Record Record)>();
        var entered = await db.FormRecords.AsNoTracking()
            .Where(r => r.TrialId == trial.Id && ids.Contains(r.ParticipantId) && (withChanges || !r.Removed))
            .OrderBy(r => r.EnteredAt).ThenBy(r => r.Id)
            .Select(r => new { r.ParticipantId, r.Id, r.VisitId, r.FormCode, r.FormVersion, r.Values, r.Removed, r.EnteredAt })
            .ToListAsync(cancellationToken);
        records.AddRange(entered.Select(r => (r.ParticipantId, new OdmBatch.Record(
            nameof(FormRecord), r.Id, r.VisitId, r.FormCode, r.FormVersion, FormValues.Read(catalog.Find(r.FormCode, r.FormVersion)!.Definition, r.Values),
            r.Removed, r.EnteredAt))));
        var mrss = await db.MrssAssessments.AsNoTracking().Where(m => ids.Contains(m.ParticipantId)).ToListAsync(cancellationToken);
        records.AddRange(mrss.Select(m => (m.ParticipantId, AtVisit(nameof(MrssAssessment), m.Id, m.VisitId, BuiltInFormCodes.Mrss, BuiltInFormValues.Of(m)))));
        var infusions = await db.Infusions.AsNoTracking().Where(i => ids.Contains(i.ParticipantId)).ToListAsync(cancellationToken);
        records.AddRange(infusions.Select(i => (i.ParticipantId, AtVisit(nameof(InfusionRecord), i.Id, i.VisitId, BuiltInFormCodes.Infusion, BuiltInFormValues.Of(i)))));
        var events = await db.AdverseEvents.AsNoTracking().Where(a => ids.Contains(a.ParticipantId))
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        records.AddRange(events.Select(a => (a.ParticipantId, new OdmBatch.Record(
            nameof(AdverseEvent), a.Id, null, BuiltInFormCodes.AdverseEvent, 1, BuiltInFormValues.Of(a.Report), false, a.CreatedAt))));

        var signed = await signatures.OfParticipantsAsync(ids, cancellationToken);
        var arms = await gate.ArmsForExportAsync(trial, ids, cancellationToken);
        var changes = withChanges ? await ChangesAsync(records.Select(r => r.Record.Id.ToString()).ToList(), cancellationToken) : [];
        return new OdmBatch(
            subjects,
            visits.ToLookup(v => v.ParticipantId, v => v.Visit),
            records.ToLookup(r => r.ParticipantId, r => r.Record),
            signed.ToLookup(s => s.ParticipantId),
            changes.ToLookup(c => (c.EntityType, c.EntityId), c => c.Change),
            arms);

        static OdmBatch.Record AtVisit(string entityType, Guid id, Guid visitId, string formCode, Dictionary<string, object> values) =>
            new(entityType, id, visitId, formCode, 1, values, false, default);
    }

    /// <summary>The audit rows of the batch's records, oldest first (the trail's entity index finds them).</summary>
    private async Task<List<(string EntityType, string EntityId, OdmBatch.Change Change)>> ChangesAsync(List<string> entityIds, CancellationToken cancellationToken)
    {
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => AuditedEntities.Contains(a.EntityType) && entityIds.Contains(a.EntityId) && a.Field != null)
            .OrderBy(a => a.Sequence)
            .Select(a => new { a.EntityType, a.EntityId, a.Sequence, a.Action, a.Field, a.UserId, a.OccurredAt, a.OldValue, a.NewValue, a.Reason })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(a => (a.EntityType, a.EntityId,
            new OdmBatch.Change(a.Sequence, a.Action, a.Field!, a.UserId, a.OccurredAt, a.OldValue, a.NewValue, a.Reason)))];
    }
}
