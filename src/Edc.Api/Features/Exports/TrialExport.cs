using System.Globalization;
using System.Text;
using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Domain.Trials;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports;

/// <summary>
/// What every export shares: the trial must be one the caller may see (404 otherwise); rows are those of the
/// participants the caller may see (own sites for site roles); the export is written to the audit trail (action
/// <c>Export</c>, entity <c>Trial</c>, new value naming the export) before the first row leaves; an <c>arm</c> column
/// exists only when <see cref="AssignmentGate.ArmsForExportAsync(Trial, CancellationToken)"/> answers arms, that is after the final unblinding.
/// </summary>
internal static class TrialExport
{
    /// <summary>Rows between two flushes of the response: the client sees data early and buffers stay small.</summary>
    public const int FlushEvery = 500;

    private const int BufferChars = 8 * 1024;

    public static async Task<(Trial Trial, IReadOnlyDictionary<Guid, ArmView>? Arms)> BeginAsync(
        EdcDbContext db, VisibleData visible, CurrentUser user, AssignmentGate gate, Guid trialId, string exportName, CancellationToken cancellationToken)
    {
        var trial = await FindAsync(visible, trialId, cancellationToken);
        return (trial, await AuditAsync(db, user, gate, trial, exportName, cancellationToken));
    }

    /// <summary>The trial, if the caller may see it: an export that checks more (the form it names) checks it before the audit row.</summary>
    public static async Task<Trial> FindAsync(VisibleData visible, Guid trialId, CancellationToken cancellationToken) =>
        await visible.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken)
            ?? throw new NotFoundException("The trial");

    /// <summary>Writes the export to the audit trail, and answers the arms its rows may show (null while blinded).</summary>
    public static async Task<IReadOnlyDictionary<Guid, ArmView>?> AuditAsync(
        EdcDbContext db, CurrentUser user, AssignmentGate gate, Trial trial, string exportName, CancellationToken cancellationToken)
    {
        var arms = await gate.ArmsForExportAsync(trial, cancellationToken);
        await RecordAsync(db, user, trial, exportName + (arms is null ? " (blinded)" : " (with arm column)"), cancellationToken);
        return arms;
    }

    /// <summary>Writes an export to the audit trail, its new value naming it.</summary>
    public static async Task RecordAsync(EdcDbContext db, CurrentUser user, Trial trial, string description, CancellationToken cancellationToken)
    {
        db.AuditEntries.Add(AuditEntry.Create(
            new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), "Export", nameof(Trial), trial.Id.ToString(), trial.Id,
            field: "export", newValue: description));
        await db.SaveChangesAsync(cancellationToken);
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
