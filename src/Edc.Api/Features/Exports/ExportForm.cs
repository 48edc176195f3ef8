using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Common.Signatures;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;

namespace Edc.Api.Features.Exports;

/// <summary>
/// A form's export: one row per participant and visit (a log form: per entry, removed ones included and marked), the
/// identifying columns, then one column per item of every version of the form: the newest version's items in its order,
/// then those only older versions had, newest first. A value is written as the contract's JSON writes it: dates
/// <c>yyyy-MM-dd</c>, dates and times in UTC, <c>true</c>/<c>false</c>, a multiple choice's codes joined by <c>;</c>; an
/// item its row's version lacks, or left blank, is empty. The column <c>signatures</c> lists the signatures of the row's
/// data (its visit's and the casebook's; a log entry's, the casebook's), oldest first, separated by <c>" | "</c>, each as
/// <c>name; time (UTC); meaning; scope; valid</c> or <c>invalidated time by name: reason</c>, read in one statement.
/// </summary>
public static class ExportForm
{
    public static readonly IReadOnlyList<string> VisitColumns =
        ["siteCode", "screeningNumber", "participantId", "visitCode", "visitDate", "formVersion", "status"];

    public static readonly IReadOnlyList<string> LogColumns =
        ["siteCode", "screeningNumber", "participantId", "entryId", "enteredAt", "removed", "removedReason", "formVersion", "status"];

    public const string SignaturesColumn = "signatures";

    public static string Name(string formCode) => $"forms/{formCode}.csv";

    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, string FormCode) : IRequest<PreparedExport>;

    internal sealed class Handler(EdcDbContext db, CurrentUser user, AssignmentGate gate, VisibleData visible, FormCatalogs catalogs, SignatureViews signatureViews)
        : IRequestHandler<Query, PreparedExport>
    {
        public async Task<PreparedExport> Handle(Query query, CancellationToken cancellationToken)
        {
            var trial = await TrialExport.FindAsync(visible, query.TrialId, cancellationToken);
            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            var form = catalog.Latest(query.FormCode) ?? throw new NotFoundException($"The form {query.FormCode}");
            var arms = await TrialExport.AuditAsync(db, user, gate, trial, Name(form.Code), cancellationToken);

            var items = ItemColumns(catalog, form);
            var signatures = await signatureViews.OfTrialAsync(trial.Id, cancellationToken);
            var rows = FormExportRows.For(db, visible, catalog, trial.Id, form.Code);
            IReadOnlyList<string> header = [.. form.Log ? LogColumns : VisitColumns, .. items, SignaturesColumn, .. arms is null ? [] : new[] { "arm" }];
            return new PreparedExport(TrialExport.FileName(trial, $"form-{form.Code}.csv"), (body, ct) => TrialExport.StreamAsync(body, header, rows, (csv, r) =>
            {
                csv.Text(r.SiteCode).Text(r.ScreeningNumber).Text(r.ParticipantId.ToString());
                if (form.Log)
                {
                    csv.Text(r.EntryId.ToString()).Instant(r.EnteredAt).Boolean(r.Removed).Text(r.RemovedReason);
                }
                else
                {
                    csv.Text(r.VisitCode).Date(r.VisitDate);
                }

                csv.Number(r.FormVersion).Text(r.Status.ToString());
                foreach (var item in items)
                {
                    Value(csv, r.Values.GetValueOrDefault(item));
                }

                csv.Text(Signed(signatures.GetValueOrDefault(r.ParticipantId), r.VisitCode));

                if (arms is not null)
                {
                    csv.Text(arms.GetValueOrDefault(r.ParticipantId)?.Code);
                }
            }, ct));
        }

        /// <summary>The item codes of every version, newest version's order first; data keep the version they were entered under.</summary>
        private static List<string> ItemColumns(FormCatalog catalog, VersionedForm latest) =>
        [
            .. Enumerable.Range(1, latest.Version).Reverse()
                .Select(version => catalog.Find(latest.Code, version))
                .SelectMany(version => version?.Definition.Items ?? [])
                .Select(item => item.Code)
                .Distinct(StringComparer.Ordinal),
        ];

        private static string? Signed(List<SignatureView>? signatures, string? visitCode) =>
            signatures?.Where(s => s.Covers(visitCode)).ToList() is { Count: > 0 } covering
                ? string.Join(" | ", covering.Select(s =>
                    $"{s.SignerName}; {FormValues.Format(s.SignedAt)}; {s.Meaning}; {(s.VisitCode is null ? "Casebook" : $"Visit {s.VisitCode}")}; "
                    + (s.Valid ? "valid" : $"invalidated {FormValues.Format(s.InvalidatedAt!.Value)} by {s.InvalidatedBy}: {s.InvalidationReason}")))
                : null;

        private static void Value(CsvWriter csv, object? value)
        {
            switch (value)
            {
                case decimal number:
                    csv.Number(number);
                    break;
                case DateOnly date:
                    csv.Date(date);
                    break;
                case DateTimeOffset instant:
                    csv.Instant(instant);
                    break;
                case bool yes:
                    csv.Boolean(yes);
                    break;
                case IEnumerable<string> codes:
                    csv.Text(string.Join(';', codes));
                    break;
                default:
                    csv.Text(value as string);
                    break;
            }
        }
    }
}
