using System.Globalization;
using System.Text;
using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports;

/// <summary>
/// A CSV export, checked and audited, ready to stream: <see cref="WriteAsync"/> writes the rows to the response body
/// as the database returns them, so memory does not grow with the number of rows.
/// </summary>
public sealed record CsvExport(string FileName, Func<Stream, CancellationToken, Task> WriteAsync);

/// <summary>
/// What every export shares: the trial must be one the caller may see (404 otherwise); rows are those of the
/// participants the caller may see (own sites for site roles); the export is written to the audit trail (action
/// <c>Export</c>, entity <c>Trial</c>, new value naming the export) before the first row leaves; an <c>arm</c> column
/// exists only when <see cref="AssignmentGate.ArmsForExportAsync"/> answers arms, that is after the final unblinding.
/// </summary>
internal static class TrialExport
{
    /// <summary>Rows between two flushes of the response: the client sees data early and buffers stay small.</summary>
    public const int FlushEvery = 500;

    private const int BufferChars = 8 * 1024;

    public static async Task<(Trial Trial, IReadOnlyDictionary<Guid, ArmView>? Arms)> BeginAsync(
        EdcDbContext db, VisibleData visible, CurrentUser user, AssignmentGate gate, Guid trialId, string exportName, CancellationToken cancellationToken)
    {
        var trial = await visible.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken)
            ?? throw new NotFoundException("The trial");
        var arms = await gate.ArmsForExportAsync(trial, cancellationToken);
        db.AuditEntries.Add(AuditEntry.Create(
            new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), "Export", nameof(Trial), trial.Id.ToString(), trial.Id,
            field: "export", newValue: exportName + (arms is null ? " (blinded)" : " (with arm column)")));
        await db.SaveChangesAsync(cancellationToken);
        return (trial, arms);
    }

    /// <summary>
    /// Writes the header, then each row as the database returns it. Rows are formatted into a small text buffer that
    /// is written to the body asynchronously (Kestrel forbids synchronous writes) whenever it fills, and the body is
    /// flushed every <see cref="FlushEvery"/> rows: memory stays the same however many rows there are.
    /// </summary>
    public static async Task StreamAsync<T>(
        Stream body, IEnumerable<string> header, IAsyncEnumerable<T> rows, Action<CsvWriter, T> writeRow, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(body, CsvWriter.Utf8, bufferSize: 16 * 1024, leaveOpen: true);
        var buffer = new StringBuilder();
        using var formatted = new StringWriter(buffer, CultureInfo.InvariantCulture);
        var csv = new CsvWriter(formatted);
        csv.Header(header);
        await DrainAsync(flush: true);
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            writeRow(csv, row);
            csv.EndRow();
            var flush = ++count % FlushEvery == 0;
            if (flush || buffer.Length >= BufferChars)
            {
                await DrainAsync(flush);
            }
        }

        await DrainAsync(flush: true);

        async Task DrainAsync(bool flush)
        {
            await text.WriteAsync(buffer, cancellationToken);
            buffer.Clear();
            if (flush)
            {
                await text.FlushAsync(cancellationToken);
            }
        }
    }

    public static string FileName(Trial trial, string export) =>
        new string([.. trial.Code.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]) + "-" + export;
}

/// <summary>
/// The MRSS export: one row per assessment (participant and visit), with the 17 areas in the contract's order, the
/// total, the participant's baseline total (the assessment of the Day 0 visit) and the change from it.
/// </summary>
public static class ExportMrss
{
    public const string Name = "mrss.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "screeningNumber", "randomizationNumber", "siteCode", "visitCode", "assessedOn", "assessorName", .. MrssAssessment.Areas,
        "total", "baselineTotal", "changeFromBaseline",
    ];

    public sealed record Query(Guid TrialId) : IRequest<CsvExport>;

    internal sealed class Handler(EdcDbContext db, CurrentUser user, AssignmentGate gate, VisibleData visible) : IRequestHandler<Query, CsvExport>
    {
        public async Task<CsvExport> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, arms) = await TrialExport.BeginAsync(db, visible, user, gate, query.TrialId, Name, cancellationToken);
            var rows =
                from m in db.MrssAssessments.AsNoTracking()
                join v in db.Visits on m.VisitId equals v.Id
                join p in visible.Participants(trial.Id) on m.ParticipantId equals p.Id
                join s in db.Sites on p.SiteId equals s.Id
                where m.TrialId == trial.Id
                orderby s.Code, p.ScreeningNumber, v.Day == null, v.Day, v.Code
                select new
                {
                    Assessment = m,
                    ParticipantId = p.Id,
                    p.ScreeningNumber,
                    p.RandomizationNumber,
                    SiteCode = s.Code,
                    VisitCode = v.Code,
                    BaselineTotal = (
                        from bv in db.Visits
                        where bv.ParticipantId == m.ParticipantId && bv.Day == 0
                        join b in db.MrssAssessments on bv.Id equals b.VisitId
                        orderby bv.Code
                        select (int?)b.Total).FirstOrDefault(),
                };

            var header = arms is null ? Columns : [.. Columns, "arm"];
            return new CsvExport(TrialExport.FileName(trial, Name), (body, ct) => TrialExport.StreamAsync(body, header, rows.AsAsyncEnumerable(), (csv, r) =>
            {
                var m = r.Assessment;
                csv.Text(r.ScreeningNumber).Text(r.RandomizationNumber).Text(r.SiteCode).Text(r.VisitCode).Date(m.AssessedOn).Text(m.AssessorName);
                foreach (var area in new[]
                {
                    m.Face, m.AnteriorChest, m.Abdomen, m.RightFingers, m.LeftFingers, m.RightHand, m.LeftHand, m.RightForearm, m.LeftForearm,
                    m.RightUpperArm, m.LeftUpperArm, m.RightThigh, m.LeftThigh, m.RightLowerLeg, m.LeftLowerLeg, m.RightFoot, m.LeftFoot,
                })
                {
                    csv.Number(area);
                }

                csv.Number(m.Total).Number(r.BaselineTotal).Number(m.Total - r.BaselineTotal);
                if (arms is not null)
                {
                    csv.Text(arms.GetValueOrDefault(r.ParticipantId)?.Code);
                }
            }, ct));
        }
    }
}

/// <summary>The visit export: one row per visit of the schedule (and unscheduled visits), with its window and outcome.</summary>
public static class ExportVisits
{
    public const string Name = "visits.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "screeningNumber", "randomizationNumber", "siteCode", "visitCode", "visitName", "day", "targetDate", "windowStart", "windowEnd",
        "status", "actualDate", "outOfWindow", "missedReason",
    ];

    public sealed record Query(Guid TrialId) : IRequest<CsvExport>;

    internal sealed class Handler(EdcDbContext db, CurrentUser user, AssignmentGate gate, VisibleData visible) : IRequestHandler<Query, CsvExport>
    {
        public async Task<CsvExport> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, arms) = await TrialExport.BeginAsync(db, visible, user, gate, query.TrialId, Name, cancellationToken);
            var rows =
                from v in db.Visits.AsNoTracking()
                join p in visible.Participants(trial.Id) on v.ParticipantId equals p.Id
                join s in db.Sites on p.SiteId equals s.Id
                where v.TrialId == trial.Id
                orderby s.Code, p.ScreeningNumber, v.Day == null, v.Day, v.Code
                select new
                {
                    ParticipantId = p.Id,
                    p.ScreeningNumber,
                    p.RandomizationNumber,
                    SiteCode = s.Code,
                    v.Code,
                    v.Name,
                    v.Day,
                    v.TargetDate,
                    v.WindowStart,
                    v.WindowEnd,
                    v.Status,
                    v.ActualDate,
                    v.OutOfWindow,
                    v.MissedReason,
                };

            var header = arms is null ? Columns : [.. Columns, "arm"];
            return new CsvExport(TrialExport.FileName(trial, Name), (body, ct) => TrialExport.StreamAsync(body, header, rows.AsAsyncEnumerable(), (csv, r) =>
            {
                csv.Text(r.ScreeningNumber).Text(r.RandomizationNumber).Text(r.SiteCode).Text(r.Code).Text(r.Name).Number(r.Day)
                    .Date(r.TargetDate).Date(r.WindowStart).Date(r.WindowEnd).Text(r.Status.ToString()).Date(r.ActualDate).Boolean(r.OutOfWindow)
                    .Text(r.MissedReason);
                if (arms is not null)
                {
                    csv.Text(arms.GetValueOrDefault(r.ParticipantId)?.Code);
                }
            }, ct));
        }
    }
}
