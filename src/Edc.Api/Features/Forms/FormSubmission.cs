using System.Text.Json;
using Edc.Api.Common;
using Edc.Domain.Forms;
using Edc.Domain.Forms.Expressions;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

/// <summary>
/// The check of a form's submitted values, shared by visit forms and log entries: the values of other forms its
/// expressions name (<c>DM.SEX</c>, from the same visit or the screening visit), then <see cref="FormEntry.Check"/>,
/// whose errors answer one 400 keyed <c>values.&lt;ITEM&gt;</c>, and nothing is saved.
/// </summary>
public static class FormSubmission
{
    public static async Task<FormEntryOutcome> CheckAsync(
        EdcDbContext db, FormCatalog catalog, VersionedForm form, Dictionary<string, JsonElement>? values, Guid participantId, Guid? visitId,
        CancellationToken cancellationToken)
    {
        var outcome = await EvaluateAsync(db, catalog, form, values, participantId, visitId, cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            throw new ValidationException(outcome.Errors.Select(e =>
                new ValidationFailure("values." + e.Key, e.Value) { CustomState = ProblemMapping.DataKey }));
        }

        return outcome;
    }

    /// <summary>What the values come to, errors included, as a save would find them; nothing is refused or saved.</summary>
    public static async Task<FormEntryOutcome> EvaluateAsync(
        EdcDbContext db, FormCatalog catalog, VersionedForm form, Dictionary<string, JsonElement>? values, Guid participantId, Guid? visitId,
        CancellationToken cancellationToken)
    {
        var raw = (values ?? []).ToDictionary(v => v.Key, v => FormValues.RawValue(v.Value), StringComparer.Ordinal);
        var others = await OtherFormsAsync(db, catalog, form, participantId, visitId, cancellationToken);
        return FormEntry.Check(form.Definition, raw, others);
    }

    /// <summary>
    /// The saved values of the other forms the form's expressions name, at the visit or, failing that, at the
    /// participant's screening visit (the schedule's first); read only when it names some.
    /// </summary>
    private static async Task<Func<ItemReference, object?>> OtherFormsAsync(
        EdcDbContext db, FormCatalog catalog, VersionedForm form, Guid participantId, Guid? visitId, CancellationToken cancellationToken)
    {
        var named = form.Definition.ReferencesToOtherForms().Select(r => r.FormCode!).Distinct().ToList();
        if (named.Count == 0)
        {
            return _ => null;
        }

        var records = await (
                from r in db.FormRecords
                join v in db.Visits on r.VisitId equals v.Id
                where r.ParticipantId == participantId && named.Contains(r.FormCode)
                    && (v.Id == visitId || v.Day == db.Visits.Where(s => s.ParticipantId == participantId).Min(s => s.Day))
                select new { r.FormCode, r.FormVersion, r.Values, AtVisit = v.Id == visitId })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var byForm = records
            .OrderByDescending(r => r.AtVisit)
            .GroupBy(r => r.FormCode)
            .ToDictionary(g => g.Key, g => g.First() is var r && catalog.Find(r.FormCode, r.FormVersion) is { } version
                ? FormValues.Read(version.Definition, r.Values)
                : []);
        return reference => byForm.GetValueOrDefault(reference.FormCode!)?.GetValueOrDefault(reference.ItemCode);
    }
}
