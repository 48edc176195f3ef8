using System.Collections.Concurrent;
using System.Text.Json;
using Edc.Domain.Forms;
using Npgsql;

namespace Edc.Twin;

/// <summary>The body of PUT .../visits/{code}/forms/{formCode}, bound as the API binds its own.</summary>
internal sealed record FormBody(Dictionary<string, JsonElement>? Values, string? Reason);

/// <summary>A trial's form definitions, every version, and the forms each visit of its schedule lists.</summary>
internal sealed class TrialForms
{
    private readonly Dictionary<string, List<VersionedForm>> _versions = BuiltInForms.All.ToDictionary(f => f.Code, f => new List<VersionedForm> { f }, StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _visitForms = new(StringComparer.Ordinal);

    public VersionedForm? Latest(string code) => _versions.TryGetValue(code, out var versions) ? versions[^1] : null;

    public VersionedForm? Find(string code, int version) => _versions.GetValueOrDefault(code)?.Find(v => v.Version == version);

    public bool IsAt(string visitCode, string formCode) => _visitForms.TryGetValue(visitCode, out var forms) && forms.Contains(formCode);

    /// <summary>The two statements of the API's FormCatalogs: the stored versions in the order they were defined, and the visits' lists.</summary>
    public static async Task<TrialForms> ReadAsync(NpgsqlConnection connection, Guid trialId, CancellationToken ct)
    {
        var forms = new TrialForms();
        await using (var stored = Json.Command(connection, "SELECT code, version, definition::text FROM trial_forms WHERE trial_id = $1 ORDER BY ordinal", trialId))
        await using (var reader = await stored.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                // Each version defined against the other forms' versions of its time, as the API's catalog does.
                var (definition, problems) = FormDefinition.Define(FormSpecJson.Read(reader.GetString(2)), code => forms.Latest(code)?.Definition);
                var code = reader.GetString(0);
                if (!forms._versions.TryGetValue(code, out var versions))
                {
                    forms._versions[code] = versions = [];
                }

                versions.Add(new VersionedForm(reader.GetInt32(1), definition ?? throw new InvalidOperationException(problems[0].Message)));
            }
        }

        await using (var visits = Json.Command(connection, "SELECT code, forms FROM visit_definitions WHERE trial_id = $1", trialId))
        await using (var reader = await visits.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                forms._visitForms[reader.GetString(0)] = reader.GetFieldValue<string[]>(1);
            }
        }

        return forms;
    }
}

/// <summary>Each trial's <see cref="TrialForms"/>, kept while the trial's forms revision stays the same, as the API's FormCatalogs keeps its catalogs.</summary>
internal sealed class TrialFormsCache
{
    private readonly ConcurrentDictionary<Guid, (int Revision, TrialForms Forms)> _byTrial = new();

    public async Task<TrialForms> ForAsync(NpgsqlConnection connection, Guid trialId, int revision, CancellationToken ct)
    {
        if (_byTrial.TryGetValue(trialId, out var kept) && kept.Revision == revision)
        {
            return kept.Forms;
        }

        var forms = await TrialForms.ReadAsync(connection, trialId, ct);
        _byTrial[trialId] = (revision, forms);
        return forms;
    }
}

internal static partial class Writes
{
    /// <summary>
    /// As SaveVisitForm, in four round trips: BEGIN with the trial's and the participant's rows FOR SHARE (the casebook's
    /// lock read); the participant at the caller's sites, the visit and the form's record there, with what the data
    /// management rules read (the form's review, the signatures of the visit and the casebook, the form's automatic
    /// queries), in one query; the record's INSERT (a first save) or its UPDATE from the
    /// version named in If-Match (an edit, with a reason; none when the values did not change); then the audit rows (the
    /// template's: one per item, with the reason) and the COMMIT. The values are checked as the API checks them, by the
    /// domain's FormEntry.Check against the form's definition (a hand-written form would make the same checks), and the
    /// record holds the values it gives.
    /// </summary>
    public static async Task<IResult> VisitFormAsync(
        NpgsqlDataSource db, Templates templates, TrialFormsCache catalogs, Guid trialId, Guid participantId, string visitCode, string formCode, FormBody body,
        HttpRequest request, Guid[]? sites, CancellationToken ct)
    {
        if (sites is null || body.Values is null)
        {
            return Results.BadRequest();
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = new Transaction(connection);
        // The trial's and the participant's rows held shared from the first round trip (as the API's IParticipantDataChange),
        // so what follows is read after any casebook lock, freeze, verification or signing committed before.
        if (await transaction.ReadAsync(
                "SELECT t.*, p.locked_at AS casebook_locked_at FROM trials t JOIN participants p ON p.trial_id = t.id AND p.id = $2 WHERE t.id = $1 FOR SHARE OF t, p", ct, trialId, participantId)
                is not { } trial
            || await transaction.ReadAsync(
                """
                SELECT p.*, v.id AS visit_id, v.site_id AS visit_site_id, r.id AS record_id, r.form_version, r.values::text AS record_values,
                       r.status AS record_status, r.version AS record_version,
                       coalesce(rv.frozen_at IS NOT NULL OR rv.verified_at IS NOT NULL, false) AS reviewed,
                       EXISTS (SELECT 1 FROM signatures s WHERE s.participant_id = p.id AND s.invalidated_at IS NULL
                               AND (s.scope = 'Casebook' OR s.visit_id = v.id)) AS signed,
                       EXISTS (SELECT 1 FROM data_queries q WHERE q.participant_id = p.id AND q.automatic IS NOT NULL AND q.form_code = $5) AS queried
                FROM participants p
                LEFT JOIN visits v ON v.participant_id = p.id AND v.code = $4
                LEFT JOIN form_records r ON r.visit_id = v.id AND r.form_code = $5
                LEFT JOIN form_reviews rv ON rv.visit_id = v.id AND rv.form_code = $5
                WHERE p.trial_id = $1 AND p.site_id = ANY ($2) AND p.id = $3
                """,
                ct,
                trialId,
                sites,
                participantId,
                visitCode,
                formCode) is not { } found
            || found["visit_id"] is not Guid visitId)
        {
            return Results.NotFound();
        }

        if ((string)trial["status"] != "Active" || trial["casebook_locked_at"] is not DBNull)
        {
            return Results.Conflict();
        }

        if ((bool)found["reviewed"] || (bool)found["signed"] || (bool)found["queried"])
        {
            // The API would refuse a frozen form, clear a verification, invalidate a signature, settle or repeat automatic
            // queries: the suite's forms have none of these (the twin reads them, as the API must, and goes no further).
            return Results.StatusCode(StatusCodes.Status501NotImplemented);
        }

        var forms = await catalogs.ForAsync(connection, trialId, (int)trial["forms_revision"], ct);
        if (!forms.IsAt(visitCode, formCode))
        {
            return Results.NotFound();
        }

        // The checks of RecordVersion.Require and ChangeReason.Require: an edit names the version it was made from, and why.
        var ifMatch = request.Headers.IfMatch.ToString();
        var saved = found["record_id"] is Guid recordId ? (Id: recordId, Version: (int)found["record_version"]) : ((Guid Id, int Version)?)null;
        if (saved is null ? ifMatch.Length > 0 : ifMatch != $"\"{saved.Value.Version}\"")
        {
            return ifMatch.Length == 0 ? Results.StatusCode(StatusCodes.Status428PreconditionRequired) : Results.Conflict();
        }

        if (saved is not null && string.IsNullOrWhiteSpace(body.Reason))
        {
            return Results.BadRequest();
        }

        var form = (saved is null ? forms.Latest(formCode) : forms.Find(formCode, (int)found["form_version"])) ?? throw new InvalidOperationException("No definition of " + formCode);
        if (form.Definition.ShowIfs.Values.Concat(form.Definition.Expressions.Values).SelectMany(FormDefinition.ReferencesIn).Any(r => r.FormCode is { } other && other != formCode))
        {
            return Results.BadRequest(); // the API would read the other forms' values: no form of the suite names one
        }

        var outcome = FormEntry.Check(form.Definition, body.Values.ToDictionary(v => v.Key, v => FormValues.RawValue(v.Value), StringComparer.Ordinal), _ => null);
        if (outcome.Errors.Count > 0)
        {
            return Results.ValidationProblem(outcome.Errors.ToDictionary(e => "values." + e.Key, e => new[] { e.Value }));
        }

        var (values, status, site) = (FormValues.Write(form.Definition, outcome.Values), outcome.Status.ToString(), found["visit_site_id"]);
        Guid id;
        int version;
        await using var commit = new NpgsqlBatch(connection);
        if (saved is null)
        {
            var template = await templates.GetAsync(Template.FormSave, request, ct);
            var was = template.Main[0];
            (id, version) = (Guid.NewGuid(), 1);
            var map = RowTemplate.Map(
                (was.Value("id"), id), (was.Value("participant_id"), participantId), (was.Value("visit_id"), visitId), (was.Value("site_id"), site),
                (was.Value("values"), values), (was.Value("status"), status));
            await transaction.ExecuteAsync(RowTemplate.InsertAll(template.Main, map), ct);
            commit.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, map));
        }
        else if (values != (string)found["record_values"] || status != (string)found["record_status"])
        {
            var template = await templates.GetAsync(Template.FormEdit, request, ct);
            var was = template.Main[0];
            (id, version) = (saved.Value.Id, saved.Value.Version + 1);
            // The columns that changed, as EF Core sends them.
            var update = status == (string)found["record_status"]
                ? Json.BatchCommand("UPDATE form_records SET values = $1::jsonb, version = $2 WHERE id = $3 AND version = $4", values, version, id, saved.Value.Version)
                : Json.BatchCommand("UPDATE form_records SET status = $5, values = $1::jsonb, version = $2 WHERE id = $3 AND version = $4", values, version, id, saved.Value.Version, status);
            if (await transaction.ExecuteAsync(update, ct) != 1)
            {
                return Results.Conflict();
            }

            commit.BatchCommands.Add(RowTemplate.InsertAll(template.Audit, RowTemplate.Map((was.Value("id"), id), (was.Value("site_id"), site))));
        }
        else
        {
            (id, version) = saved.Value;
        }

        await transaction.CommitAsync(commit, ct);
        request.HttpContext.Response.Headers.ETag = $"\"{version}\"";
        using var answer = new JsonAnswer();
        var json = answer.Json;
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("formCode", formCode);
        json.WriteNumber("formVersion", form.Version);
        json.WritePropertyName("values");
        json.WriteRawValue(values);
        json.WriteString("status", status);
        json.WriteStartArray("warnings");
        foreach (var warning in outcome.Warnings)
        {
            json.WriteStartObject();
            json.WriteString("itemCode", warning.ItemCode);
            json.WriteString("message", warning.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("verified", false);
        json.WriteBoolean("frozen", false);
        json.WriteBoolean("signed", false);
        json.WriteBoolean("removed", false);
        json.WriteNull("removedReason");
        json.WriteNumber("version", version);
        json.WriteEndObject();
        return answer.Result();
    }
}
