using Edc.Api.Common;
using Edc.Domain.Forms;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports;

/// <summary>
/// A form's rows for the participants the caller may see, each source one query streamed as the database returns it,
/// ordered by site, participant, then visit day or entry time. The trial's own forms read their JSON documents; the
/// built-in forms read their own tables (<see cref="BuiltInFormValues"/>), always complete under version 1.
/// </summary>
internal static class FormExportRows
{
    public static IAsyncEnumerable<FormExportRow> For(EdcDbContext db, VisibleData visible, FormCatalog catalog, Guid trialId, string formCode) => formCode switch
    {
        BuiltInFormCodes.Mrss => Mrss(db, visible, trialId),
        BuiltInFormCodes.Infusion => Infusions(db, visible, trialId),
        BuiltInFormCodes.AdverseEvent => AdverseEvents(db, visible, trialId),
        _ => Entered(db, visible, catalog, trialId, formCode),
    };

    private static IAsyncEnumerable<FormExportRow> Entered(EdcDbContext db, VisibleData visible, FormCatalog catalog, Guid trialId, string formCode)
    {
        // A visit's form joins its visit; a log entry has none.
        var rows =
            from r in db.FormRecords.AsNoTracking()
            join p in visible.Participants(trialId) on r.ParticipantId equals p.Id
            join s in db.Sites on p.SiteId equals s.Id
            from v in db.Visits.Where(v => v.Id == r.VisitId).DefaultIfEmpty()
            where r.TrialId == trialId && r.FormCode == formCode
            orderby s.Code, p.ScreeningNumber, v.Day == null, v.Day, v.Code, r.EnteredAt, r.Id
            select new
            {
                ParticipantId = p.Id,
                SiteCode = s.Code,
                p.ScreeningNumber,
                VisitCode = (string?)v.Code,
                VisitDate = (DateOnly?)v.ActualDate,
                r.Id,
                r.EnteredAt,
                r.Removed,
                r.RemovedReason,
                r.FormVersion,
                r.Status,
                r.Values,
            };
        return rows.AsAsyncEnumerable().Select(r => new FormExportRow(
            r.ParticipantId, r.SiteCode, r.ScreeningNumber, r.VisitCode, r.VisitDate, r.Id, r.EnteredAt, r.Removed, r.RemovedReason, r.FormVersion, r.Status,
            FormValues.Read(catalog.Find(formCode, r.FormVersion)!.Definition, r.Values)));
    }

    private static IAsyncEnumerable<FormExportRow> Mrss(EdcDbContext db, VisibleData visible, Guid trialId)
    {
        var rows =
            from m in db.MrssAssessments.AsNoTracking()
            join p in visible.Participants(trialId) on m.ParticipantId equals p.Id
            join s in db.Sites on p.SiteId equals s.Id
            join v in db.Visits on m.VisitId equals v.Id
            where m.TrialId == trialId
            orderby s.Code, p.ScreeningNumber, v.Day == null, v.Day, v.Code
            select new { Assessment = m, ParticipantId = p.Id, SiteCode = s.Code, p.ScreeningNumber, VisitCode = v.Code, v.ActualDate };
        return rows.AsAsyncEnumerable().Select(r => AtVisit(
            r.ParticipantId, r.SiteCode, r.ScreeningNumber, r.VisitCode, r.ActualDate, r.Assessment.Id, BuiltInFormValues.Of(r.Assessment)));
    }

    private static IAsyncEnumerable<FormExportRow> Infusions(EdcDbContext db, VisibleData visible, Guid trialId)
    {
        var rows =
            from i in db.Infusions.AsNoTracking()
            join p in visible.Participants(trialId) on i.ParticipantId equals p.Id
            join s in db.Sites on p.SiteId equals s.Id
            join v in db.Visits on i.VisitId equals v.Id
            where i.TrialId == trialId
            orderby s.Code, p.ScreeningNumber, v.Day == null, v.Day, v.Code
            select new { Infusion = i, ParticipantId = p.Id, SiteCode = s.Code, p.ScreeningNumber, VisitCode = v.Code, v.ActualDate };
        return rows.AsAsyncEnumerable().Select(r => AtVisit(
            r.ParticipantId, r.SiteCode, r.ScreeningNumber, r.VisitCode, r.ActualDate, r.Infusion.Id, BuiltInFormValues.Of(r.Infusion)));
    }

    /// <summary>An adverse event is an entry of the AE log: its current version's form, entered when the event was first recorded.</summary>
    private static IAsyncEnumerable<FormExportRow> AdverseEvents(EdcDbContext db, VisibleData visible, Guid trialId)
    {
        var rows =
            from a in visible.AdverseEvents(trialId).AsNoTracking()
            join p in visible.Participants(trialId) on a.ParticipantId equals p.Id
            join s in db.Sites on p.SiteId equals s.Id
            orderby s.Code, p.ScreeningNumber, a.CreatedAt, a.Id
            select new { Event = a, ParticipantId = p.Id, SiteCode = s.Code, p.ScreeningNumber };
        return rows.AsAsyncEnumerable().Select(r => new FormExportRow(
            r.ParticipantId, r.SiteCode, r.ScreeningNumber, null, null, r.Event.Id, r.Event.CreatedAt, false, null, 1, FormStatus.Complete,
            BuiltInFormValues.Of(r.Event.Report)));
    }

    private static FormExportRow AtVisit(
        Guid participantId, string siteCode, string screeningNumber, string visitCode, DateOnly? visitDate, Guid id, Dictionary<string, object> values) =>
        new(participantId, siteCode, screeningNumber, visitCode, visitDate, id, null, false, null, 1, FormStatus.Complete, values);
}
