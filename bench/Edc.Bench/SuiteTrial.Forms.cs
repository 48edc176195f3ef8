using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Edc.Bench;

/// <summary>
/// The forms workloads, on a trial of the suite's own created through the API (the demonstration trial has no 12-item form,
/// and lists one to four forms a visit): the demonstration trial's 16 visits, each listing the same six forms, the
/// 12-item VITALS among them. 400 participants at two sites are randomized through the API and given a few forms each
/// (the grid's); the saves' pools are enrolled at a third site, whose coordinator alone sends them, so that the grid
/// stays at 400 participants whatever runs before it.
/// </summary>
internal sealed partial class SuiteTrial
{
    private const string FormsCoordinator = "bench-forms-coordinator@edc.local";
    private const string EntryCoordinator = "bench-entry-coordinator@edc.local";
    private const int GridPageSize = 200; // the page asks for the API's largest page (PageRequest.MaxPageSize)
    private const int GridClients = 4; // a page of 200 rows by 16 visits: with 32 connections its time would be mostly queueing

    // The first-save and edit pools hold, per side, this many requests a second over the warm-up and the timed run.
    private const int FormSavesPerSecond = 800;
    private const int FormEditsPerSecond = 1200;

    private static readonly string[] TrialForms = ["VITALS", "LAB", "ECG", "PFT", "HAQ", "RAYNAUD"];

    private static readonly (string Code, string Name, int Day, int Before, int After)[] TrialVisits =
    [
        ("SCR", "Screening", -28, 0, 28), ("D0", "Baseline / Day 0", 0, 0, 0), ("W2", "Week 2", 14, 3, 3), ("W4", "Week 4", 28, 3, 3),
        ("W8", "Week 8", 56, 7, 7), ("W12", "Week 12", 84, 7, 7), ("W16", "Week 16", 112, 7, 7), ("W20", "Week 20", 140, 7, 7),
        ("W24", "Week 24", 168, 7, 7), ("W28", "Week 28", 196, 7, 7), ("W32", "Week 32", 224, 7, 7), ("W36", "Week 36", 252, 7, 7),
        ("W40", "Week 40", 280, 7, 7), ("W44", "Week 44", 308, 7, 7), ("W48", "Week 48", 336, 7, 7), ("W52", "Week 52", 364, 14, 14),
    ];

    /// <summary>
    /// The six forms. VITALS has 12 items: numbers with hard and soft ranges, a choice, a date, a boolean, a text shown only
    /// when the boolean holds (showIf) and a calculated body-mass index.
    /// </summary>
    private const string FormsJson =
        """
        [
          { "code": "VITALS", "name": "Vital signs and examination", "log": false, "items": [
            { "code": "VSDATE", "label": "Date of assessment", "type": "date", "required": true },
            { "code": "POSITION", "label": "Position", "type": "choice", "required": true,
              "codeList": [ { "code": "SITTING", "label": "Sitting" }, { "code": "SUPINE", "label": "Supine" }, { "code": "STANDING", "label": "Standing" } ] },
            { "code": "WEIGHT", "label": "Weight", "type": "decimal", "precision": 1, "units": "kg", "required": true,
              "range": { "min": 25, "max": 250 }, "softRange": { "min": 40, "max": 150 } },
            { "code": "HEIGHT", "label": "Height", "type": "integer", "units": "cm", "required": true,
              "range": { "min": 100, "max": 230 }, "softRange": { "min": 140, "max": 200 } },
            { "code": "BMI", "label": "Body mass index", "type": "calculated", "expression": "round(WEIGHT * 10000 / (HEIGHT * HEIGHT), 1)", "units": "kg/m2" },
            { "code": "SYSBP", "label": "Systolic blood pressure", "type": "integer", "units": "mmHg", "required": true,
              "range": { "min": 50, "max": 260 }, "softRange": { "min": 90, "max": 160 } },
            { "code": "DIABP", "label": "Diastolic blood pressure", "type": "integer", "units": "mmHg", "required": true,
              "range": { "min": 20, "max": 160 }, "softRange": { "min": 50, "max": 100 } },
            { "code": "PULSE", "label": "Heart rate", "type": "integer", "units": "beats/min", "required": true,
              "range": { "min": 20, "max": 250 }, "softRange": { "min": 50, "max": 110 } },
            { "code": "RESP", "label": "Respiratory rate", "type": "integer", "units": "breaths/min", "required": true,
              "range": { "min": 4, "max": 60 }, "softRange": { "min": 10, "max": 24 } },
            { "code": "TEMP", "label": "Temperature", "type": "decimal", "precision": 1, "units": "°C", "required": true,
              "range": { "min": 30, "max": 44 }, "softRange": { "min": 35.5, "max": 38 } },
            { "code": "ABNORMAL", "label": "Clinically significant finding on examination", "type": "boolean", "required": true },
            { "code": "FINDING", "label": "Finding", "type": "text", "maxLength": 500, "required": true, "showIf": "ABNORMAL" } ] },
          { "code": "LAB", "name": "Haematology and chemistry", "log": false, "items": [
            { "code": "HB", "label": "Haemoglobin", "type": "decimal", "precision": 1, "units": "g/dL", "required": true,
              "range": { "min": 3, "max": 25 }, "softRange": { "min": 11.5, "max": 17.5 } },
            { "code": "WBC", "label": "White cells", "type": "decimal", "precision": 1, "units": "10^9/L", "required": true,
              "range": { "min": 0.1, "max": 100 }, "softRange": { "min": 4, "max": 11 } },
            { "code": "PLT", "label": "Platelets", "type": "integer", "units": "10^9/L", "required": true,
              "range": { "min": 5, "max": 2000 }, "softRange": { "min": 150, "max": 450 } },
            { "code": "CREAT", "label": "Creatinine", "type": "integer", "units": "umol/L", "required": true,
              "range": { "min": 10, "max": 2000 }, "softRange": { "min": 45, "max": 110 } },
            { "code": "ALT", "label": "ALT", "type": "integer", "units": "U/L", "required": true,
              "range": { "min": 1, "max": 5000 }, "softRange": { "min": 5, "max": 40 } } ] },
          { "code": "ECG", "name": "Electrocardiogram", "log": false, "items": [
            { "code": "ECGDATE", "label": "Date of ECG", "type": "date", "required": true },
            { "code": "RHYTHM", "label": "Rhythm", "type": "choice", "required": true,
              "codeList": [ { "code": "SINUS", "label": "Sinus" }, { "code": "AF", "label": "Atrial fibrillation" }, { "code": "OTHER", "label": "Other" } ] },
            { "code": "QTCF", "label": "QTcF", "type": "integer", "units": "ms", "required": true, "range": { "min": 250, "max": 700 }, "softRange": { "min": 350, "max": 460 } },
            { "code": "ECGABN", "label": "Clinically significant abnormality", "type": "boolean", "required": true } ] },
          { "code": "PFT", "name": "Pulmonary function", "log": false, "items": [
            { "code": "FVC", "label": "FVC", "type": "decimal", "precision": 1, "units": "% predicted", "required": true,
              "range": { "min": 10, "max": 200 }, "softRange": { "min": 50, "max": 130 } },
            { "code": "DLCO", "label": "DLCO", "type": "decimal", "precision": 1, "units": "% predicted", "required": true,
              "range": { "min": 10, "max": 200 }, "softRange": { "min": 40, "max": 130 } } ] },
          { "code": "HAQ", "name": "Health assessment questionnaire", "log": false, "items": [
            { "code": "HAQDI", "label": "HAQ disability index", "type": "decimal", "precision": 2, "required": true, "range": { "min": 0, "max": 3 } },
            { "code": "PAIN", "label": "Pain (visual analogue scale)", "type": "integer", "units": "mm", "required": true, "range": { "min": 0, "max": 100 } } ] },
          { "code": "RAYNAUD", "name": "Raynaud's phenomenon and digital ulcers", "log": false, "items": [
            { "code": "ATTACKS", "label": "Raynaud attacks a day", "type": "integer", "required": true, "range": { "min": 0, "max": 50 } },
            { "code": "ULCERS", "label": "Active digital ulcers", "type": "boolean", "required": true },
            { "code": "ULCERCOUNT", "label": "Number of active ulcers", "type": "integer", "required": true, "range": { "min": 1, "max": 30 }, "showIf": "ULCERS" } ] }
        ]
        """;

    private Task<FormsTrial>? _formsTrial;

    private static string FormsDescription =>
        $"**Forms trial** (grid, form-save, form-edit): created through `POST /api/trials`, the demonstration trial's {TrialVisits.Length} visits each " +
        $"listing the same {TrialForms.Length} forms ({string.Join(", ", TrialForms)}; VITALS has 12 items: numbers with hard and soft ranges, a choice, " +
        $"a date, a boolean, a text shown by a showIf, a calculated body-mass index); {RealisticParticipants} participants at two sites (inserted in SQL " +
        "as Enrolled) randomized through the API, six forms saved for each through the API (VITALS at SCR and D0, LAB at SCR and D0, the second in " +
        "progress, PFT and ECG at SCR); the saves' pools at a third site, whose own coordinator sends them.";

    /// <summary>The forms trial, and who works at it: the grid's coordinator (two sites, 400 participants) and the pools' (a third site).</summary>
    private sealed record FormsTrial(Place Grid, Place Entry, IReadOnlyList<Guid> Participants);

    private string VitalsFirstSave => $$$"""
        {"values":{"VSDATE":"{{{_today}}}","POSITION":"SITTING","WEIGHT":68.5,"HEIGHT":165,"SYSBP":124,"DIABP":78,"PULSE":72,"RESP":16,"TEMP":36.7,"ABNORMAL":true,"FINDING":"Digital ulcer on the right index finger."}}
        """;

    // Four items change (WEIGHT, the calculated BMI, SYSBP, FINDING): four audit rows, with the reason.
    private string VitalsEdit => $$"""
        {"values":{"VSDATE":"{{_today}}","POSITION":"SITTING","WEIGHT":69.1,"HEIGHT":165,"SYSBP":128,"DIABP":78,"PULSE":72,"RESP":16,"TEMP":36.7,"ABNORMAL":true,"FINDING":"Digital ulcer on the right index finger, healing."},"reason":"Corrected from the source document."}
        """;

    private static string FormPath(Place place, Guid participant, string visit, string form) => $"{place.Path}/participants/{participant}/visits/{visit}/forms/{form}";

    private Task<FormsTrial> FormsTrialAsync(CancellationToken ct) => _formsTrial ??= SetUpFormsTrialAsync(ct);

    private async Task<FormsTrial> SetUpFormsTrialAsync(CancellationToken ct)
    {
        var api = _coordinator.BaseAddress!;
        using var admin = await Http.SignedInClientAsync(api, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
        using var forms = JsonDocument.Parse(FormsJson);
        var trial = (await Http.SendAsync(admin, HttpMethod.Post, "/api/trials", new
        {
            code = "BENCH-FORMS",
            title = "Benchmark trial of forms defined as data",
            arms = new[] { new { code = "A", name = "Active", ratio = 1 }, new { code = "P", name = "Placebo", ratio = 1 } },
            visitDefinitions = TrialVisits.Select(v => new
            {
                code = v.Code,
                name = v.Name,
                day = v.Day,
                windowBefore = v.Before,
                windowAfter = v.After,
                procedures = v.Code == "SCR" ? new[] { "Eligibility", "Consent" } : ["AeReview"],
                forms = TrialForms,
            }),
            eligibilityCriteria = new[] { new { code = "INC_AGE", kind = "Inclusion", text = "Age 18 years or over." } },
            sites = new[] { new { code = "BF1", name = "Forms site 1" }, new { code = "BF2", name = "Forms site 2" }, new { code = "BF3", name = "Forms entry site" } },
            forms = forms.RootElement,
        }, ct)).GetProperty("id").GetGuid();
        var sites = (await Http.SendAsync(admin, HttpMethod.Get, $"/api/trials/{trial}/sites", null, ct)).GetProperty("items").EnumerateArray()
            .ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("id").GetGuid());
        foreach (var (email, name, siteIds) in new[] { (FormsCoordinator, "Forms coordinator", new[] { sites["BF1"], sites["BF2"] }), (EntryCoordinator, "Entry coordinator", [sites["BF3"]]) })
        {
            await Http.SendAsync(admin, HttpMethod.Post, "/api/users", new { email, password = UserPassword, displayName = name, roles = new[] { "Coordinator" }, siteIds }, ct);
        }

        await Http.SendAsync(_statistician, HttpMethod.Post, $"/api/trials/{trial}/randomization-list", new { seed = 20261207, blockSizes = new[] { 2, 4 }, slotsPerStratum = 10_000 }, ct);
        var grid = new Place(trial, [sites["BF1"], sites["BF2"]], await Http.SignedInClientAsync(api, FormsCoordinator, UserPassword, ct));
        var entry = new Place(trial, [sites["BF3"]], await Http.SignedInClientAsync(api, EntryCoordinator, UserPassword, ct));
        var participants = await EnrollAsync(grid, "G", RealisticParticipants, ct);
        await RandomizeAsync(grid, participants, ct);

        // A few forms each, as at the start of a trial: VITALS twice, the laboratory twice (the second in progress), PFT and ECG.
        (string Visit, string Form, string Body)[] fills =
        [
            ("SCR", "VITALS", VitalsFirstSave), ("D0", "VITALS", VitalsFirstSave),
            ("SCR", "LAB", """{"values":{"HB":13.1,"WBC":7.2,"PLT":260,"CREAT":71,"ALT":22}}"""), ("D0", "LAB", """{"values":{"HB":12.8}}"""),
            ("SCR", "PFT", """{"values":{"FVC":78.5,"DLCO":61.0}}"""),
            ("SCR", "ECG", $$$"""{"values":{"ECGDATE":"{{{_today}}}","RHYTHM":"SINUS","QTCF":412,"ECGABN":false}}"""),
        ];
        await ParallelAsync(participants.Count * fills.Length, i =>
        {
            var (visit, form, body) = fills[i % fills.Length];
            return grid.Coordinator.PutAsync(
                new Uri(FormPath(grid, participants[i / fills.Length], visit, form), UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), ct);
        }, "form");
        return new FormsTrial(grid, entry, participants);
    }

    /// <summary>A pool at the entry site: enough participants, randomized through the API, for this many protocol visits (16 each).</summary>
    private async Task<IReadOnlyList<(Guid Participant, string Code)>> FormPoolAsync(FormsTrial forms, string prefix, int visits, CancellationToken ct)
    {
        var pool = await EnrollAsync(forms.Entry, prefix, (visits / TrialVisits.Length) + 1, ct);
        await RandomizeAsync(forms.Entry, pool, ct);
        return await VisitsAsync(pool, "day IS NOT NULL", ct);
    }

    // ---- the workloads ----

    private async Task<Workload> GridAsync(CancellationToken ct)
    {
        var forms = await FormsTrialAsync(ct);
        using var web = await WebSession.SignInAsync(_coordinator.BaseAddress!, FormsCoordinator, UserPassword, ct);
        var pages = (forms.Participants.Count + GridPageSize - 1) / GridPageSize;
        var saved = await _suite.ScalarAsync($"SELECT count(*) FROM form_records WHERE site_id IN ('{string.Join("', '", forms.Grid.Sites)}')", ct);
        return new Workload(
            "participant-by-visit grid (web)",
            $"GET /trials/{{t}}?page=N (HTML, pages 1-{pages} of {GridPageSize}), the coordinator's cookie session, {GridClients} connections",
            $"the trial's home page for {forms.Participants.Count} participants, {TrialVisits.Length} visits and {TrialForms.Length} forms a visit " +
            $"({saved} forms saved, six a participant at two visits, one in progress), whatever the page shows at the time of the run; the twin answers " +
            "its data as JSON in three statements: the trial with its visit definitions (the columns, each with its forms), the grid in one (the page of " +
            "participants of the caller's sites with the total counted before the paging, each with its protocol visits and the status of each form " +
            "saved there), and the visit worklist's first 200 (as the worklist).",
            Workload.Same([.. Enumerable.Range(1, pages).Select(p => Workload.Line("GET", $"/trials/{forms.Grid.Trial}?page={p}"))]))
        {
            Clients = GridClients,
            Headers = new Dictionary<string, string>(forms.Grid.TwinHeaders()) { ["Cookie"] = web.Cookie },
            // The grid's rows link to each participant's casebook (the task summary above it links those with work left); the twin lists its rows.
            AnswerText = (side, body) =>
            {
                if (side == Side.Api)
                {
                    var grid = body[body.IndexOf("<table class=\"visit-grid\"", StringComparison.Ordinal)..];
                    grid = grid[..grid.IndexOf("</table>", StringComparison.Ordinal)];
                    return $"{CasebookLinkRegex().Matches(grid).Select(m => m.Groups[1].Value).Distinct().Count()} participants on the page";
                }

                using var data = JsonDocument.Parse(body);
                return $"{data.RootElement.GetProperty("rows").GetArrayLength()} participants on the page";
            },
        };
    }

    private async Task<Workload> FormSaveAsync(CancellationToken ct)
    {
        var forms = await FormsTrialAsync(ct);
        var perSide = Suite.CaptureRepeats + FormSavesPerSecond * (_options.WarmupSeconds + _options.Duration);
        var visits = await FormPoolAsync(forms, "S", (2 * perSide) + 1, ct);
        var lines = visits.Select(v => Workload.Line("PUT", FormPath(forms.Entry, v.Participant, v.Code, "VITALS"), VitalsFirstSave)).ToList();
        using var template = JsonDocument.Parse(await Suite.SendAsync(forms.Entry.Coordinator, lines[0], ct));
        return new Workload(
            "form first save (12 items)",
            "PUT .../visits/{code}/forms/VITALS (first save)",
            "a first save per request, each for a distinct visit, half of the pool a side; the values checked by the domain's FormEntry.Check (11 sent, " +
            "the calculated one computed, a showIf); one transaction in four round trips: BEGIN with the trial's and the participant's rows `FOR SHARE` " +
            "(the casebook's lock read), the participant at the caller's sites with the visit, the form's record there (none) and what the data " +
            "management rules read (the form's review, the visit's and the casebook's signatures, the form's automatic queries: none here), the " +
            "record's INSERT, then the audit rows (the template's, one per item) with the `COMMIT`.",
            Workload.Split([.. lines.Skip(1)], FormSavesPerSecond * _options.WarmupSeconds))
        {
            Walk = true,
            Token = forms.Entry.Token,
            Headers = forms.Entry.TwinHeaders(template.RootElement.GetProperty("id").GetGuid()),
            Rows = $"SELECT count(*) FROM form_records WHERE trial_id = '{forms.Entry.Trial}' AND site_id = '{forms.Entry.Sites[0]}'",
            RowsName = "form records",
        };
    }

    private async Task<Workload> FormEditAsync(CancellationToken ct)
    {
        var forms = await FormsTrialAsync(ct);
        var perSide = Suite.CaptureRepeats + FormEditsPerSecond * (_options.WarmupSeconds + _options.Duration);
        var visits = await FormPoolAsync(forms, "E", (2 * perSide) + 1, ct);

        // Every record edited once from its first version, so If-Match is "1" on every request. The first saves: one
        // through the API, copied in SQL to the pool's other visits with its audit rows (not measured).
        var saves = visits.Select(v => Workload.Line("PUT", FormPath(forms.Entry, v.Participant, v.Code, "VITALS"), VitalsFirstSave)).ToList();
        using var first = JsonDocument.Parse(await Suite.SendAsync(forms.Entry.Coordinator, saves[0], ct));
        await CopyFirstSaveAsync(first.RootElement.GetProperty("id").GetGuid(), visits.Select(v => v.Participant).Distinct().ToArray(), ct);
        var lines = visits.Select(v => Workload.Line("PUT", FormPath(forms.Entry, v.Participant, v.Code, "VITALS"), VitalsEdit)).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(FormPath(forms.Entry, visits[0].Participant, visits[0].Code, "VITALS"), UriKind.Relative))
        {
            Content = new StringContent(VitalsEdit, Encoding.UTF8, "application/json"),
            Headers = { { "If-Match", "\"1\"" } },
        };
        using var edited = await forms.Entry.Coordinator.SendAsync(request, ct);
        using var template = JsonDocument.Parse(await edited.EnsureSuccessStatusCode().Content.ReadAsStringAsync(ct));
        return new Workload(
            "form edit (12 items, 4 changed)",
            "PUT .../visits/{code}/forms/VITALS (an edit: If-Match \"1\" and a reason)",
            "an edit per request, each of a distinct record at its first version (saved through the API once, copied in SQL to the pool with its audit " +
            "rows), half of the pool a side; the version in If-Match and the reason checked, the values by FormEntry.Check and compared with the stored " +
            "ones; one transaction in four round trips: BEGIN with the trial's and the participant's rows `FOR SHARE`, the participant with the visit, " +
            "the record and what the data management rules read (as for the first save), the record's UPDATE where its version is still the one read, then the audit rows (the template's: one per changed item, with the reason) with " +
            "the `COMMIT`.",
            Workload.Split([.. lines.Skip(1)], FormEditsPerSecond * _options.WarmupSeconds))
        {
            Walk = true,
            Token = forms.Entry.Token,
            Headers = new Dictionary<string, string>(forms.Entry.TwinHeaders(template.RootElement.GetProperty("id").GetGuid())) { ["If-Match"] = "\"1\"" },
            Rows = $"SELECT count(*) FROM form_records WHERE trial_id = '{forms.Entry.Trial}' AND version = 2",
            RowsName = "records edited",
        };
    }

    /// <summary>
    /// The record the API saved, copied to every other protocol visit of the participants with the audit rows of its
    /// insert (new ids; the chain's trigger numbers and hashes them), then the table analysed.
    /// </summary>
    private async Task CopyFirstSaveAsync(Guid record, Guid[] participants, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using (var copy = new NpgsqlCommand(
            """
            WITH template AS (SELECT * FROM form_records WHERE id = @record),
            copies AS (
                INSERT INTO form_records (id, trial_id, site_id, participant_id, visit_id, form_code, form_version, values, status, removed,
                                          removed_reason, entered_at, version)
                SELECT gen_random_uuid(), t.trial_id, v.site_id, v.participant_id, v.id, t.form_code, t.form_version, t.values, t.status, t.removed,
                       t.removed_reason, t.entered_at, t.version
                FROM template t JOIN visits v ON v.participant_id = ANY (@participants) AND v.day IS NOT NULL AND v.id <> t.visit_id
                RETURNING id, site_id)
            INSERT INTO audit_entries (user_id, user_email, user_roles, action, entity_type, entity_id, trial_id, site_id, field, old_value, new_value, reason)
            SELECT a.user_id, a.user_email, a.user_roles, a.action, a.entity_type, c.id::text, a.trial_id, c.site_id, a.field, a.old_value, a.new_value, a.reason
            FROM copies c CROSS JOIN (SELECT * FROM audit_entries WHERE entity_id = @record::text) a
            ORDER BY c.id, a.seq
            """,
            connection)
        { CommandTimeout = 600 })
        {
            copy.Parameters.AddWithValue("record", record);
            copy.Parameters.AddWithValue("participants", participants);
            await copy.ExecuteNonQueryAsync(ct);
        }

        await using var analyze = new NpgsqlCommand("VACUUM (ANALYZE) form_records", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"/participants/([0-9a-f-]{36})""", RegexOptions.IgnoreCase)]
    private static partial Regex CasebookLinkRegex();
}
