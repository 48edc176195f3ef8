using System.Security.Cryptography;
using System.Text.Json;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Signatures;

/// <summary>
/// The one reading of the data a signature covers and of their hash, used when signing and when checking that a
/// signature still matches its data (21 CFR 11.70: a signature is linked to its record so that it cannot be moved to
/// other data). A visit's signature covers the visit's own fields and the data of every form saved at it; a casebook's
/// covers every visit in scope (see <see cref="InCasebook"/>) with its forms, the log entries and the adverse events.
/// <para>
/// The hash is SHA-256 (hex) over a canonical JSON document: fields written one by one in a fixed order, visits by code,
/// forms by code, entries and events by time and id, a form's values with their keys in ordinal order, so the same data
/// give the same bytes whatever order the database returns them in. Names of forms are left out (a new version of a
/// form may rename it without changing the data).
/// </para>
/// </summary>
public sealed class SignedContent(EdcDbContext db)
{
    /// <summary>Every record of the participant, in five statements (within a change, after the participant's row is locked).</summary>
    public async Task<ParticipantRecords> ReadAsync(Guid participantId, CancellationToken cancellationToken) => new(
        await db.Visits.AsNoTracking().Where(v => v.ParticipantId == participantId).ToListAsync(cancellationToken),
        await db.FormRecords.AsNoTracking().Where(r => r.ParticipantId == participantId).ToListAsync(cancellationToken),
        await db.MrssAssessments.AsNoTracking().Where(m => m.ParticipantId == participantId).ToListAsync(cancellationToken),
        await db.Infusions.AsNoTracking().Where(i => i.ParticipantId == participantId).ToListAsync(cancellationToken),
        await db.AdverseEvents.AsNoTracking().Where(a => a.ParticipantId == participantId).ToListAsync(cancellationToken));

    /// <summary>
    /// Which visits a casebook's signature covers: every visit Completed, and any other visit not Missed at which data
    /// were saved (data entered ahead of the visit's recording are signed with the rest, so must be complete too). A
    /// Missed visit has no data; a visit still to come has none yet.
    /// </summary>
    public static bool InCasebook(ScheduledVisit visit, ParticipantRecords records) =>
        visit.Status == VisitStatus.Completed
        || (visit.Status != VisitStatus.Missed
            && (records.Forms.Any(r => r.VisitId == visit.Id) || records.Mrss.Any(m => m.VisitId == visit.Id) || records.Infusions.Any(i => i.VisitId == visit.Id)));

    /// <summary>The data in the signature's scope (<paramref name="visit"/> for a visit's), and the forms there not yet Complete.</summary>
    public static SignedData Select(ParticipantRecords records, FormCatalog catalog, SignatureScope scope, ScheduledVisit? visit)
    {
        var visits = scope == SignatureScope.Visit
            ? [visit ?? throw new ArgumentNullException(nameof(visit))]
            : records.Visits.Where(v => InCasebook(v, records)).OrderBy(v => v.Day ?? int.MaxValue).ThenBy(v => v.Code, StringComparer.Ordinal).ToList();
        var missing = new List<MissingForm>();
        var signedVisits = new List<SignedVisit>();
        foreach (var v in visits)
        {
            var forms = FormsAt(records, catalog, v);
            signedVisits.Add(new SignedVisit(v.Id, v.Code, v.Name, v.Status, v.ActualDate, v.MissedReason, v.OutOfWindow, forms));
            missing.AddRange(catalog.FormsAt(v)
                .Select(code => (code, status: forms.FirstOrDefault(f => f.FormCode == code && !f.Removed)?.Status ?? FormStatus.NotStarted))
                .Where(f => f.status != FormStatus.Complete)
                .Select(f => new MissingForm(v.Code, f.code, NameOf(catalog, f.code), f.status)));
        }

        if (scope == SignatureScope.Visit)
        {
            return new SignedData(signedVisits, [], [], missing);
        }

        var logEntries = records.Forms.Where(r => r.VisitId is null)
            .OrderBy(r => r.EnteredAt).ThenBy(r => r.Id)
            .Select(r => Entered(catalog, r))
            .ToList();
        missing.AddRange(logEntries.Where(e => !e.Removed && e.Status != FormStatus.Complete).Select(e => new MissingForm(null, e.FormCode, e.Name, e.Status)));
        var adverseEvents = records.AdverseEvents
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => new SignedForm(
                a.Id, BuiltInFormCodes.AdverseEvent, NameOf(catalog, BuiltInFormCodes.AdverseEvent), a.CurrentVersion, FormStatus.Complete, false, null,
                Json(BuiltInFormValues.Of(a.Report))))
            .ToList();
        return new SignedData(signedVisits, logEntries, adverseEvents, missing);
    }

    /// <summary>SHA-256 (lower-case hex) of the canonical form of <paramref name="data"/> under <paramref name="scope"/>.</summary>
    public static string Hash(SignedData data, SignatureScope scope)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("scope", scope.ToString());
            json.WriteStartArray("visits");
            foreach (var visit in data.Visits.OrderBy(v => v.Code, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("id", visit.Id);
                json.WriteString("code", visit.Code);
                json.WriteString("name", visit.Name);
                json.WriteString("status", visit.Status.ToString());
                json.WriteString("actualDate", visit.ActualDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("missedReason", visit.MissedReason);
                json.WriteBoolean("outOfWindow", visit.OutOfWindow);
                WriteForms(json, "forms", visit.Forms.OrderBy(f => f.FormCode, StringComparer.Ordinal).ThenBy(f => f.Id));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteForms(json, "logEntries", data.LogEntries);
            WriteForms(json, "adverseEvents", data.AdverseEvents);
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static List<SignedForm> FormsAt(ParticipantRecords records, FormCatalog catalog, ScheduledVisit visit) =>
    [
        .. records.Forms.Where(r => r.VisitId == visit.Id).Select(r => Entered(catalog, r)),
        .. records.Mrss.Where(m => m.VisitId == visit.Id).Select(m => new SignedForm(
            m.Id, BuiltInFormCodes.Mrss, NameOf(catalog, BuiltInFormCodes.Mrss), 1, FormStatus.Complete, false, null, Json(BuiltInFormValues.Of(m)))),
        .. records.Infusions.Where(i => i.VisitId == visit.Id).Select(i => new SignedForm(
            i.Id, BuiltInFormCodes.Infusion, NameOf(catalog, BuiltInFormCodes.Infusion), 1, FormStatus.Complete, false, null, Json(BuiltInFormValues.Of(i)))),
    ];

    private static SignedForm Entered(FormCatalog catalog, FormRecord record)
    {
        using var values = JsonDocument.Parse(record.Values);
        return new SignedForm(
            record.Id, record.FormCode, NameOf(catalog, record.FormCode), record.FormVersion, record.Status, record.Removed, record.RemovedReason,
            values.RootElement.Clone());
    }

    private static string NameOf(FormCatalog catalog, string formCode) => catalog.Latest(formCode)?.Name ?? formCode;

    private static JsonElement Json(Dictionary<string, object> values) =>
        JsonSerializer.SerializeToElement(new SortedDictionary<string, object>(values, StringComparer.Ordinal));

    private static void WriteForms(Utf8JsonWriter json, string name, IEnumerable<SignedForm> forms)
    {
        json.WriteStartArray(name);
        foreach (var form in forms)
        {
            json.WriteStartObject();
            json.WriteString("id", form.Id);
            json.WriteString("formCode", form.FormCode);
            json.WriteNumber("formVersion", form.FormVersion);
            json.WriteString("status", form.Status.ToString());
            json.WriteBoolean("removed", form.Removed);
            json.WriteString("removedReason", form.RemovedReason);
            json.WritePropertyName("values");
            WriteCanonical(json, form.Values);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>A JSON value with every object's keys in ordinal order (the database keeps a document's keys in an order of its own).</summary>
    private static void WriteCanonical(Utf8JsonWriter json, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                json.WriteStartObject();
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    json.WritePropertyName(property.Name);
                    WriteCanonical(json, property.Value);
                }

                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                value.WriteTo(json);
                break;
        }
    }
}
