using Edc.Api.Common;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports;

/// <summary>
/// The data dictionary: one row per form, version and item (the built-in forms first, then the trial's in the order
/// they were defined), with everything the definition states of the item and the visits that collect the form, in the
/// schedule's order. It holds no participant data, so nothing in it is blinded; its export is audited all the same.
/// </summary>
public static class ExportDataDictionary
{
    public const string Name = "data-dictionary.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "formCode", "formName", "formVersion", "log", "itemCode", "label", "type", "required", "units", "precision", "maxLength",
        "rangeMin", "rangeMax", "softRangeMin", "softRangeMax", "codeList", "showIf", "expression", "visits",
    ];

    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId) : IRequest<PreparedExport>;

    internal sealed class Handler(EdcDbContext db, CurrentUser user, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, PreparedExport>
    {
        public async Task<PreparedExport> Handle(Query query, CancellationToken cancellationToken)
        {
            var trial = await TrialExport.FindAsync(visible, query.TrialId, cancellationToken);
            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            var schedule = await db.Set<VisitDefinition>().AsNoTracking().Where(v => v.TrialId == trial.Id)
                .OrderBy(v => v.Day).ThenBy(v => v.Code).Select(v => new { v.Code, v.Forms }).ToListAsync(cancellationToken);
            await TrialExport.RecordAsync(db, user, trial, Name, cancellationToken);

            var rows =
                from latest in catalog.LatestForms
                let visits = string.Join(';', schedule.Where(v => v.Forms.Contains(latest.Code)).Select(v => v.Code))
                from version in Enumerable.Range(1, latest.Version)
                let form = catalog.Find(latest.Code, version)
                where form is not null
                from item in form.Definition.Items
                select (Form: form, Item: item, Visits: visits);
            return new PreparedExport(TrialExport.FileName(trial, Name), (body, ct) => TrialExport.StreamAsync(body, Columns, rows.ToAsyncEnumerable(), (csv, r) =>
            {
                var item = r.Item;
                csv.Text(r.Form.Code).Text(r.Form.Name).Number(r.Form.Version).Boolean(r.Form.Log)
                    .Text(item.Code).Text(item.Label).Text(ItemTypeNames.Name(item.Type)).Boolean(item.Required).Text(item.Units)
                    .Number(item.Precision).Number(item.MaxLength)
                    .Number(item.Range?.Min).Number(item.Range?.Max).Number(item.SoftRange?.Min).Number(item.SoftRange?.Max)
                    .Text(item.CodeList is { } codes ? string.Join("; ", codes.Select(c => $"{c.Code}={c.Label}")) : null)
                    .Text(item.ShowIf).Text(item.Expression).Text(r.Visits);
            }, ct));
        }
    }
}
