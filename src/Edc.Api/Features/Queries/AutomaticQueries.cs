using System.Globalization;
using System.Text.Json;
using Edc.Api.Common.Changes;
using Edc.Api.Features.Forms;
using Edc.Domain.Common;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Safety;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Queries;

/// <summary>
/// The system's queries, raised and closed in the transaction of the change that calls for them. A form's data saved
/// (a visit's form, a log entry, the built-in MRSS, infusion and adverse event) raise one <see cref="AutomaticQueryKind.SoftRange"/>
/// query per item whose value is outside its soft range (the form's own warnings, <see cref="FormEntry.Warnings"/>); a
/// visit marked Completed raises one <see cref="AutomaticQueryKind.MissingRequired"/> query per required item, asked
/// and still blank, of each form it collects, and one about each such form never saved. Neither is raised again while one
/// of the item's kind is open or answered, nor after a person closed one for the same value (the same warning, or for a
/// missing item, blank). When a save corrects the value, the system closes its open query, saying what changed.
/// </summary>
internal sealed class AutomaticQueries(EdcDbContext db, FormCatalogs catalogs, QueryNotifications notifications, TimeProvider clock) : IClinicalDataFollower
{
    private const string Blank = "blank";

    public async Task FollowAsync(IReadOnlyList<ChangedData> changed, TouchedData touched, CancellationToken cancellationToken)
    {
        var formData = changed.Where(c => c.FormCode is not null).ToList();
        var completed = changed.Select(c => c.Entity).OfType<ScheduledVisit>().Where(BecameCompleted).ToList();
        if (formData.Count == 0 && completed.Count == 0)
        {
            return;
        }

        var trialId = formData.Select(c => ((ITrialScoped)c.Entity).TrialId).Concat(completed.Select(v => v.TrialId)).Distinct().Single();
        // The trial as this change holds it (its forms cannot change meanwhile), read again only when not at hand.
        var revision = (db.AuditedTransaction?.Trial is { } held && held.Id == trialId ? held.FormsRevision : (int?)null)
            ?? db.Trials.Local.FirstOrDefault(t => t.Id == trialId)?.FormsRevision
            ?? await db.Trials.Where(t => t.Id == trialId).Select(t => t.FormsRevision).SingleAsync(cancellationToken);
        var catalog = await catalogs.ForAsync(db, trialId, revision, cancellationToken);

        // The automatic queries this change can settle or repeat (of the forms saved, and of the visits completed), read with the visits' codes.
        var existing = touched.AutomaticQueries.ToList();
        var raised = new List<DataQuery>();
        var now = clock.GetUtcNow();

        foreach (var data in formData)
        {
            var visitCode = data.VisitId is { } visitId ? touched.VisitCodes[visitId] : null;
            if (CurrentValues(data, catalog) is not { } found)
            {
                continue;
            }

            var (form, values, removed, siteId) = found;

            var target = new QueryTarget(trialId, siteId, data.ParticipantId, visitCode, form.Code, null, data.LogEntryId);
            var warnings = removed ? [] : FormEntry.Warnings(form.Definition, values);
            var previous = default(IReadOnlyDictionary<string, object>);
            foreach (var query in existing.Where(q => q.Status != QueryStatus.Closed && IsAbout(q, target)))
            {
                // A query about a form never entered is settled by its first save.
                var item = query.ItemCode is null ? null : form.Definition.Item(query.ItemCode);
                var settled = removed
                    || item is null
                    || (query.Automatic == AutomaticQueryKind.SoftRange && warnings.All(w => w.ItemCode != query.ItemCode))
                    || (query.Automatic == AutomaticQueryKind.MissingRequired && values.ContainsKey(query.ItemCode!));
                if (!settled)
                {
                    continue;
                }

                previous ??= await PreviousValuesAsync(data, form, cancellationToken);
                var label = item?.Label ?? query.ItemCode;
                var was = Format(query.ItemCode is null ? null : previous.GetValueOrDefault(query.ItemCode));
                var corrected = Format(query.ItemCode is null ? null : values.GetValueOrDefault(query.ItemCode));
                var comment = removed
                    ? "The entry was removed: closed by the system."
                    : query.ItemCode is null
                        ? $"The {form.Name} form is now entered. Closed by the system."
                    : query.Automatic == AutomaticQueryKind.SoftRange
                        ? $"{label} was corrected from {was} to {corrected}: no longer outside the expected range. Closed by the system."
                        : $"{label} is now given ({was} → {corrected}). Closed by the system.";
                query.Close(QueryAuthor.System, comment, now);
            }

            foreach (var warning in warnings)
            {
                var itemTarget = target with { ItemCode = warning.ItemCode };
                if (!Settled(existing, itemTarget, AutomaticQueryKind.SoftRange, warning.Message))
                {
                    raised.Add(Raise(existing, itemTarget, AutomaticQueryKind.SoftRange, warning.Message, now));
                }
            }
        }

        foreach (var visit in completed)
        {
            foreach (var (form, missing) in await MissingRequiredAsync(visit, catalog, cancellationToken))
            {
                if (missing is null)
                {
                    var formTarget = new QueryTarget(trialId, visit.SiteId, visit.ParticipantId, visit.Code, form.Code, null, null);
                    var question = $"The {form.Name} form is not entered though the visit {visit.Name} is completed: please enter it, or say why it is not available.";
                    if (!Settled(existing, formTarget, AutomaticQueryKind.MissingRequired, question))
                    {
                        raised.Add(Raise(existing, formTarget, AutomaticQueryKind.MissingRequired, question, now));
                    }

                    continue;
                }

                foreach (var item in missing)
                {
                    var itemTarget = new QueryTarget(trialId, visit.SiteId, visit.ParticipantId, visit.Code, form.Code, item.Code, null);
                    var text = $"{item.Label} ({form.Name}) is required and still blank though the visit {visit.Name} is completed: please enter it, or say why it is not available.";
                    if (!Settled(existing, itemTarget, AutomaticQueryKind.MissingRequired, text))
                    {
                        raised.Add(Raise(existing, itemTarget, AutomaticQueryKind.MissingRequired, text, now));
                    }
                }
            }
        }

        foreach (var group in raised.GroupBy(q => q.ParticipantId))
        {
            var screeningNumber = await db.Participants.Where(p => p.Id == group.Key).Select(p => p.ScreeningNumber).SingleAsync(cancellationToken);
            await notifications.RaisedAsync([.. group], screeningNumber, now, cancellationToken);
        }
    }

    private bool BecameCompleted(ScheduledVisit visit)
    {
        if (visit.Status != VisitStatus.Completed)
        {
            return false;
        }

        var entry = db.Entry(visit);
        return entry.State == EntityState.Added || entry.Property(v => v.Status).OriginalValue != VisitStatus.Completed;
    }

    private DataQuery Raise(List<DataQuery> existing, QueryTarget target, AutomaticQueryKind kind, string text, DateTimeOffset now)
    {
        var query = DataQuery.RaiseAutomatically(target, kind, text, now);
        db.Queries.Add(query);
        existing.Add(query);
        return query;
    }

    /// <summary>
    /// Whether the item already has its query of this kind: open or answered, or closed by a person for the same value
    /// (its question, which states the value, is the same).
    /// </summary>
    private static bool Settled(IEnumerable<DataQuery> existing, QueryTarget target, AutomaticQueryKind kind, string text) =>
        existing.Any(q => q.Automatic == kind && IsAbout(q, target) && q.ItemCode == target.ItemCode
            && (q.Status != QueryStatus.Closed || (ClosedByPerson(q) && Question(q) == text)));

    private static bool IsAbout(DataQuery query, QueryTarget target) =>
        query.ParticipantId == target.ParticipantId && query.VisitCode == target.VisitCode && query.FormCode == target.FormCode && query.LogEntryId == target.LogEntryId;

    private static bool ClosedByPerson(DataQuery query) =>
        query.Messages.Where(m => m.Kind == QueryMessageKind.Closed).MaxBy(m => m.At) is { AuthorId: not null };

    private static string Question(DataQuery query) => query.Messages.Where(m => m.Kind == QueryMessageKind.Raised).MinBy(m => m.At)!.Text;

    /// <summary>The changed data as their form's values, under the version they are entered with; null for what is no form's data.</summary>
    private static (VersionedForm Form, IReadOnlyDictionary<string, object> Values, bool Removed, Guid SiteId)? CurrentValues(ChangedData data, FormCatalog catalog) =>
        data.Entity switch
        {
            FormRecord record when catalog.Find(record.FormCode, record.FormVersion) is { } form =>
                (form, FormValues.Read(form.Definition, record.Values), record.Removed, record.SiteId),
            MrssAssessment mrss => (catalog.Latest(BuiltInFormCodes.Mrss)!, BuiltInFormValues.Of(mrss), false, mrss.SiteId),
            InfusionRecord infusion => (catalog.Latest(BuiltInFormCodes.Infusion)!, BuiltInFormValues.Of(infusion), false, infusion.SiteId),
            AdverseEvent adverseEvent => (catalog.Latest(BuiltInFormCodes.AdverseEvent)!, BuiltInFormValues.Of(adverseEvent.Report), false, adverseEvent.SiteId),
            _ => null,
        };

    /// <summary>The values as they were before this change (none for a first save), read only to say what a correction changed.</summary>
    private async Task<IReadOnlyDictionary<string, object>> PreviousValuesAsync(ChangedData data, VersionedForm form, CancellationToken cancellationToken)
    {
        if (db.Entry(data.Entity).State == EntityState.Added)
        {
            return new Dictionary<string, object>();
        }

        // Read before the save: the database still holds the previous version.
        return data.Entity switch
        {
            FormRecord record => FormValues.Read(form.Definition, db.Entry(record).Property(r => r.Values).OriginalValue),
            MrssAssessment mrss => BuiltInFormValues.Of(await db.MrssAssessments.AsNoTracking().SingleAsync(m => m.Id == mrss.Id, cancellationToken)),
            InfusionRecord infusion => BuiltInFormValues.Of(await db.Infusions.AsNoTracking().SingleAsync(i => i.Id == infusion.Id, cancellationToken)),
            AdverseEvent adverseEvent => BuiltInFormValues.Of((await db.AdverseEvents.AsNoTracking().SingleAsync(a => a.Id == adverseEvent.Id, cancellationToken)).Report),
            _ => new Dictionary<string, object>(),
        };
    }

    /// <summary>
    /// For each form the visit collects, its required items asked (their showIf holding with the values saved) and blank,
    /// as a save's check finds them (<see cref="FormSubmission.EvaluateAsync"/>); null for a form with required items never
    /// saved, which is asked for as a whole. The built-in MRSS and infusion, once recorded, miss nothing (their entry
    /// refuses anything incomplete).
    /// </summary>
    private async Task<List<(VersionedForm Form, List<ItemSpec>? Missing)>> MissingRequiredAsync(ScheduledVisit visit, FormCatalog catalog, CancellationToken cancellationToken)
    {
        var codes = catalog.FormsAt(visit);
        var saved = await db.FormRecords.AsNoTracking().Where(r => r.VisitId == visit.Id)
            .Select(r => new { r.FormCode, r.FormVersion, r.Values }).ToListAsync(cancellationToken);
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        if (codes.Contains(BuiltInFormCodes.Mrss) && await db.MrssAssessments.AnyAsync(m => m.VisitId == visit.Id, cancellationToken))
        {
            recorded.Add(BuiltInFormCodes.Mrss);
        }

        if (codes.Contains(BuiltInFormCodes.Infusion) && await db.Infusions.AnyAsync(i => i.VisitId == visit.Id, cancellationToken))
        {
            recorded.Add(BuiltInFormCodes.Infusion);
        }

        var missing = new List<(VersionedForm, List<ItemSpec>?)>();
        foreach (var code in codes.Where(c => !recorded.Contains(c)))
        {
            var record = saved.FirstOrDefault(r => r.FormCode == code);
            var form = (record is null ? catalog.Latest(code) : catalog.Find(code, record.FormVersion)) ?? catalog.Latest(code);
            if (form is null || form.Log || !form.Definition.Items.Any(i => i.Required))
            {
                continue;
            }

            if (record is null)
            {
                missing.Add((form, null));
                continue;
            }

            var outcome = await FormSubmission.EvaluateAsync(db, catalog, form, Submitted(form, record?.Values), visit.ParticipantId, visit.Id, cancellationToken);
            var blank = form.Definition.Items
                .Where(i => i.Required && i.Type != ItemType.Calculated && !outcome.Hidden.Contains(i.Code) && !outcome.Values.ContainsKey(i.Code))
                .ToList();
            if (blank.Count > 0)
            {
                missing.Add((form, blank));
            }
        }

        return missing;
    }

    /// <summary>Stored values as a client submits them (calculated items left out: the check computes them).</summary>
    private static Dictionary<string, JsonElement> Submitted(VersionedForm form, string? stored)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (stored is null)
        {
            return values;
        }

        using var document = JsonDocument.Parse(stored);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (form.Definition.Item(property.Name) is { Type: not ItemType.Calculated })
            {
                values[property.Name] = property.Value.Clone();
            }
        }

        return values;
    }

    private static string Format(object? value) => value switch
    {
        null => Blank,
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset instant => FormValues.Format(instant),
        bool yes => yes ? "yes" : "no",
        string text => text,
        IEnumerable<string> codes => string.Join(", ", codes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? Blank,
    };
}
