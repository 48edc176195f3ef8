using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// The export of a form's data (one row per participant and visit, or per log entry; one column per item of every version)
/// and the data dictionary: values as the contract's JSON writes them, site-scoped, blinded until the final unblinding,
/// audited, formulas defused, streamed. Each test uses a trial of its own (distinctive arm strings) with a visit form SX,
/// defined in two versions, and a log form LX.
/// </summary>
public sealed class FormExportTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    // Item codes are sent as written (WEIGHT, not weight).
    private static readonly JsonSerializerOptions AsWritten = new();

    private const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";

    private static readonly string[] VisitColumns = ["siteCode", "screeningNumber", "participantId", "visitCode", "visitDate", "formVersion", "status"];

    private static readonly string[] LogColumns =
        ["siteCode", "screeningNumber", "participantId", "entryId", "enteredAt", "removed", "removedReason", "formVersion", "status"];

    /// <summary>Version 2's items in its order, then OLDITEM, which only version 1 had.</summary>
    private static readonly string[] SxItems = ["OK", "NOTE", "COUNT", "WEIGHT", "DOUBLE", "TAGS", "SEEN", "AT", "WHY", "NEWITEM", "OLDITEM"];

    private static readonly string Today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ExportForm_VisitForm_HasTheIdentifyingColumnsThenOneColumnPerItemOfEveryVersion()
    {
        var t = await TrialAsync();

        var response = await t.Admin.GetAsync($"/api/trials/{t.TrialId}/exports/forms/SX.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("form-SX.csv", response.Content.Headers.ContentDisposition?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([.. VisitColumns, .. SxItems, "signatures"], rows[0]);
        var data = Csv.Records(rows);
        Assert.Equal([(t.ScreeningA, "D0"), (t.ScreeningA, "W4"), (t.ScreeningB, "D0")], data.Select(r => (r["screeningNumber"], r["visitCode"])));

        // Entered under version 1: its values as the contract writes them, the calculated one included.
        var first = data[0];
        Assert.Equal(t.SiteCodeA, first["siteCode"]);
        Assert.Equal(t.ParticipantA.ToString(), first["participantId"]);
        Assert.Equal(Today, first["visitDate"]);
        Assert.Equal("1", first["formVersion"]);
        Assert.Equal("Complete", first["status"]);
        Assert.Equal("true", first["OK"]);
        Assert.Equal("3", first["COUNT"]);
        Assert.Equal("72.5", first["WEIGHT"]);
        Assert.Equal("6", first["DOUBLE"]);
        Assert.Equal("A;C", first["TAGS"]);
        Assert.Equal("2026-01-20", first["SEEN"]);
        Assert.Equal("2026-01-20T08:30:00Z", first["AT"]);
        Assert.Equal("legacy, kept", first["OLDITEM"]);
        Assert.Equal(string.Empty, first["NEWITEM"]);

        // Entered under version 2: the item version 1 had is empty, the new one filled; a required item missing.
        var second = data[1];
        Assert.Equal(string.Empty, second["visitDate"]);
        Assert.Equal("2", second["formVersion"]);
        Assert.Equal("InProgress", second["status"]);
        Assert.Equal("false", second["OK"]);
        Assert.Equal("7", second["NEWITEM"]);
        Assert.Equal("2", second["DOUBLE"]);
        Assert.Equal(string.Empty, second["OLDITEM"]);
        Assert.Equal(string.Empty, second["TAGS"]);
        Assert.Equal("Plain, with a comma", data[2]["NOTE"]);
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
    }

    [Fact]
    public async Task ExportForm_LogForm_HasOneRowPerEntry_RemovedOnesMarkedWithTheirReason()
    {
        var t = await TrialAsync();

        var rows = Csv.Parse(await Csv.ExportAsync(t.Admin, t.TrialId, "forms/LX.csv"));

        Assert.Equal([.. LogColumns, "TERM", "STARTED", "signatures"], rows[0]);
        var data = Csv.Records(rows);
        Assert.Equal([t.KeptEntry.ToString(), t.RemovedEntry.ToString(), t.EntryB.ToString()], data.Select(r => r["entryId"]));
        var kept = data[0];
        Assert.Equal("Nausea", kept["TERM"]);
        Assert.Equal("2026-02-01", kept["STARTED"]);
        Assert.Equal("false", kept["removed"]);
        Assert.Equal(string.Empty, kept["removedReason"]);
        Assert.Equal("1", kept["formVersion"]);
        Assert.Equal("Complete", kept["status"]);
        var enteredAt = DateTimeOffset.ParseExact(kept["enteredAt"], "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(enteredAt, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
        var removed = data[1];
        Assert.Equal("Headache", removed["TERM"]);
        Assert.Equal("true", removed["removed"]);
        Assert.Equal("Entered twice", removed["removedReason"]);
        Assert.Equal(t.ScreeningB, data[2]["screeningNumber"]);
    }

    [Fact]
    public async Task ExportForm_WhenSiteScoped_HoldsOnlyTheCallersSitesRows()
    {
        var t = await TrialAsync();
        var otherSite = await t.Admin.AddSiteAsync(t.TrialId, "XC" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant());
        var stranger = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, otherSite);

        var visitA = Csv.Records(Csv.Parse(await Csv.ExportAsync(t.CoordinatorA, t.TrialId, "forms/SX.csv")));
        var logB = Csv.Records(Csv.Parse(await Csv.ExportAsync(t.CoordinatorB, t.TrialId, "forms/LX.csv")));

        Assert.Equal(2, visitA.Count);
        Assert.All(visitA, r => Assert.Equal(t.ScreeningA, r["screeningNumber"]));
        Assert.Equal(t.EntryB.ToString(), Assert.Single(logB)["entryId"]);
        foreach (var export in new[] { "forms/SX.csv", "forms/LX.csv" })
        {
            var rows = Csv.Parse(await Csv.ExportAsync(stranger, t.TrialId, export));
            Assert.Single(rows); // the header only
        }
    }

    [Fact]
    public async Task ExportForm_BeforeFinalUnblinding_HasNoArmColumnAndNoArmStringForAnyRole()
    {
        var t = await TrialAsync();
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal)
        {
            [Roles.Admin] = t.Admin,
            [Roles.Coordinator] = t.CoordinatorA,
            [Roles.Investigator] = await api.ClientForNewUserAsync(t.Admin, Roles.Investigator, t.SiteA),
            [Roles.DsmbMember] = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember),
            [Roles.UnblindedStatistician] = t.Statistician,
        };

        foreach (var (role, client) in clients)
        {
            foreach (var export in new[] { "forms/SX.csv", "forms/LX.csv", "forms/MRSS.csv", "data-dictionary.csv" })
            {
                var text = await Csv.ExportAsync(client, t.TrialId, export);
                Assert.DoesNotContain("arm", Csv.Parse(text)[0]);
                Assert.DoesNotContain(DistinctiveTrial.ArmStrings, secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
                Assert.True(Csv.Parse(text).Count > 1 || export == "forms/MRSS.csv", $"{role} {export}: no rows");
            }
        }
    }

    [Fact]
    public async Task ExportForm_AfterLockAndFinalUnblinding_AddsTheArmOfEachParticipant()
    {
        var t = await TrialAsync();
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(t.Statistician, t.TrialId);
        Assert.Equal(HttpStatusCode.OK, (await t.Admin.PostAsync($"/api/trials/{t.TrialId}/lock", null)).StatusCode);
        var unblinding = await t.Statistician.PostAsync($"/api/trials/{t.TrialId}/final-unblinding", null);
        Assert.True(unblinding.StatusCode == HttpStatusCode.OK, await unblinding.Content.ReadAsStringAsync());

        var visit = Csv.Parse(await Csv.ExportAsync(t.Admin, t.TrialId, "forms/SX.csv"));
        var log = Csv.Parse(await Csv.ExportAsync(t.CoordinatorA, t.TrialId, "forms/LX.csv"));

        Assert.Equal([.. VisitColumns, .. SxItems, "signatures", "arm"], visit[0]);
        Assert.Equal([.. LogColumns, "TERM", "STARTED", "signatures", "arm"], log[0]);
        var rows = Csv.Records(visit).Concat(Csv.Records(log)).ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(armOf[Guid.Parse(r["participantId"])], r["arm"]));
        Assert.DoesNotContain("arm", Csv.Parse(await Csv.ExportAsync(t.Admin, t.TrialId, "data-dictionary.csv"))[0]);
    }

    [Fact]
    public async Task ExportForm_WhenATextValueStartsLikeAFormula_DefusesIt()
    {
        var t = await TrialAsync();

        var text = await Csv.ExportAsync(t.Admin, t.TrialId, "forms/SX.csv");

        var first = Csv.Records(Csv.Parse(text))[0];
        Assert.Equal("'" + Formula, first["NOTE"]);
        Assert.DoesNotContain("," + Formula, text, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"" + Formula, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportForm_WhenCalled_WritesAnAuditRowNamingTheExport()
    {
        var t = await TrialAsync();
        var (_, email) = await t.Admin.CreateUserAsync([Roles.DsmbMember]);
        var dsmb = await api.LoginAsync(email, TestData.UserPassword);

        await Csv.ExportAsync(dsmb, t.TrialId, "forms/SX.csv");
        await Csv.ExportAsync(dsmb, t.TrialId, "data-dictionary.csv");
        await (await dsmb.GetAsync($"/api/trials/{t.TrialId}/exports/forms/NOPE.csv")).AssertProblemAsync(HttpStatusCode.NotFound);

        foreach (var (export, count) in new[] { ("forms/SX.csv (blinded)", 1L), ("data-dictionary.csv", 1L), ("forms/NOPE.csv%", 0L) })
        {
            Assert.Equal(count, await Sql.ScalarAsync<long>(api.ConnectionString, $"""
                SELECT count(*) FROM audit_entries
                WHERE action = 'Export' AND entity_type = 'Trial' AND entity_id = '{t.TrialId}' AND trial_id = '{t.TrialId}'
                  AND user_email = @p AND new_value LIKE '{export}'
                """, email));
        }
    }

    [Fact]
    public async Task ExportForm_OfAFormTheTrialDoesNotHave_Returns404()
    {
        var t = await TrialAsync();
        var demoTrial = await t.Admin.DemoTrialIdAsync();

        await (await t.Admin.GetAsync($"/api/trials/{t.TrialId}/exports/forms/NOPE.csv")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await t.Admin.GetAsync($"/api/trials/{t.TrialId}/exports/forms/sx.csv")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await t.Admin.GetAsync($"/api/trials/{demoTrial}/exports/forms/SX.csv")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await t.Admin.GetAsync($"/api/trials/{Guid.NewGuid()}/exports/forms/VS.csv")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await t.Admin.GetAsync($"/api/trials/{Guid.NewGuid()}/exports/data-dictionary.csv")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ExportDataDictionary_HasOneRowPerFormVersionAndItem_WithItsDefinitionAndVisits()
    {
        var t = await TrialAsync();

        var rows = Csv.Parse(await Csv.ExportAsync(t.CoordinatorA, t.TrialId, "data-dictionary.csv"));

        Assert.Equal(
            ["formCode", "formName", "formVersion", "log", "itemCode", "label", "type", "required", "units", "precision", "maxLength",
             "rangeMin", "rangeMax", "softRangeMin", "softRangeMax", "codeList", "showIf", "expression", "visits"],
            rows[0]);
        var data = Csv.Records(rows);
        Assert.Equal(["MRSS", "INFUSION", "AE", "SX", "LX"], data.Select(r => r["formCode"]).Distinct());
        Assert.Equal(10, data.Count(r => r["formCode"] == "SX" && r["formVersion"] == "1"));
        Assert.Equal(SxItems[..^1], data.Where(r => r["formCode"] == "SX" && r["formVersion"] == "2").Select(r => r["itemCode"]));

        var weight = data.Single(r => r["formCode"] == "SX" && r["formVersion"] == "1" && r["itemCode"] == "WEIGHT");
        Assert.Equal(
            ["Visit form", "false", "Weight", "decimal", "false", "kg", "1", string.Empty, "25", "250", "40", "150", string.Empty, string.Empty, string.Empty, "D0;W4"],
            [weight["formName"], weight["log"], weight["label"], weight["type"], weight["required"], weight["units"], weight["precision"], weight["maxLength"],
             weight["rangeMin"], weight["rangeMax"], weight["softRangeMin"], weight["softRangeMax"], weight["codeList"], weight["showIf"], weight["expression"], weight["visits"]]);
        var tags = data.Single(r => r["formCode"] == "SX" && r["formVersion"] == "1" && r["itemCode"] == "TAGS");
        Assert.Equal("multiChoice", tags["type"]);
        Assert.Equal("A=Alpha; B=Beta; C=Gamma", tags["codeList"]);
        var twice = data.Single(r => r["formCode"] == "SX" && r["formVersion"] == "2" && r["itemCode"] == "DOUBLE");
        Assert.Equal(("calculated", "COUNT * 2"), (twice["type"], twice["expression"]));
        var why = data.Single(r => r["formCode"] == "SX" && r["formVersion"] == "2" && r["itemCode"] == "WHY");
        Assert.Equal(("true", "not OK", "200"), (why["required"], why["showIf"], why["maxLength"]));
        var term = data.Single(r => r["formCode"] == "LX" && r["itemCode"] == "TERM");
        Assert.Equal(("true", "true", string.Empty), (term["log"], term["required"], term["visits"]));
        Assert.Equal(17 + 3, data.Count(r => r["formCode"] == "MRSS"));
        Assert.All(data.Where(r => r["formCode"] == "MRSS"), r => Assert.Equal("D0;W4", r["visits"]));
        var face = data.Single(r => r["formCode"] == "MRSS" && r["itemCode"] == "face");
        Assert.Equal(("integer", "0", "3"), (face["type"], face["rangeMin"], face["rangeMax"]));
        Assert.Equal(string.Empty, data.First(r => r["formCode"] == "INFUSION")["visits"]); // no visit of this trial infuses
    }

    [Fact]
    public async Task ExportForm_BuiltInForms_ExportTheirOwnRecordsAsItems()
    {
        var p = await api.RandomizedAsync();
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var area in new[] { "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
                     "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot" })
        {
            scores[area] = area == "face" ? 3 : 1;
        }

        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0/mrss", new { assessedOn = Today, assessorName = "Dr Khanna", scores })).StatusCode);
        var administeredAt = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(9), TimeSpan.Zero);
        var infused = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt, kitNumber = p.KitNumber });
        Assert.True(infused.StatusCode == HttpStatusCode.OK, await infused.Content.ReadAsStringAsync());
        var recorded = await p.Coordinator.PostAsJsonAsync($"{p.Path}/adverse-events", AdverseEventForms.Serious());
        Assert.True(recorded.StatusCode == HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        var eventId = (await recorded.JsonAsync()).GetProperty("id").GetGuid();

        Dictionary<string, string> RowOf(string text) => Csv.Records(Csv.Parse(text)).Single(r => r["participantId"] == p.ParticipantId.ToString());
        var mrss = RowOf(await Csv.ExportAsync(p.Admin, p.TrialId, "forms/MRSS.csv"));
        var infusion = RowOf(await Csv.ExportAsync(p.Admin, p.TrialId, "forms/INFUSION.csv"));
        var adverseEvent = RowOf(await Csv.ExportAsync(p.Admin, p.TrialId, "forms/AE.csv"));

        Assert.Equal(("D0", "1", "Complete"), (mrss["visitCode"], mrss["formVersion"], mrss["status"]));
        Assert.Equal((Today, "Dr Khanna", "3", "1", "19"), (mrss["assessedOn"], mrss["assessorName"], mrss["face"], mrss["leftFoot"], mrss["total"]));
        Assert.Equal(administeredAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), infusion["administeredAt"]);
        Assert.Equal((p.KitNumber, string.Empty), (infusion["kitNumber"], infusion["notAdministeredReason"]));
        Assert.Equal(eventId.ToString(), adverseEvent["entryId"]);
        Assert.Equal(("Pneumonia", "3", "true", "Hospitalization", "NotRelated"),
            (adverseEvent["term"], adverseEvent["grade"], adverseEvent["serious"], adverseEvent["seriousnessCriteria"], adverseEvent["relatedness"]));
        Assert.Equal(("true", string.Empty, "false"), (adverseEvent["ongoing"], adverseEvent["endDate"], adverseEvent["removed"]));
    }

    [Fact]
    public async Task ExportForm_WithTwentyThousandEntries_StreamsEveryRow()
    {
        var t = await TrialAsync();
        const int Extra = 20_000;
        await Sql.ExecuteAsync(api.ConnectionString, $"""
            INSERT INTO form_records (id, trial_id, site_id, participant_id, visit_id, form_code, form_version, "values", status, removed, entered_at)
            SELECT gen_random_uuid(), r.trial_id, r.site_id, r.participant_id, NULL, 'LX', 1,
                   jsonb_build_object('TERM', 'Bulk ' || g, 'STARTED', '2026-03-01'), 'Complete', false, now() + g * interval '1 second'
            FROM form_records r, generate_series(1, {Extra}) g
            WHERE r.id = '{t.EntryB}'
            """);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trials/{t.TrialId}/exports/forms/LX.csv");
        using var response = await t.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Not buffered into one body of known length: written in chunks as rows arrive.
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal(string.Join(',', [.. LogColumns, "TERM", "STARTED", "signatures"]), await reader.ReadLineAsync());
        var lines = 0;
        var bulk = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            // The last column, the signatures, is empty: none of these entries is signed.
            if (line.Contains(",Bulk ", StringComparison.Ordinal) && line.EndsWith(",2026-03-01,", StringComparison.Ordinal))
            {
                bulk++;
            }
        }

        Assert.Equal(Extra + 3, lines);
        Assert.Equal(Extra, bulk);
    }

    private sealed record FormTrial(
        HttpClient Admin, HttpClient Statistician, HttpClient CoordinatorA, HttpClient CoordinatorB, Guid TrialId, Guid SiteA, string SiteCodeA,
        Guid ParticipantA, Guid ParticipantB, string ScreeningA, string ScreeningB, Guid KeptEntry, Guid RemovedEntry, Guid EntryB);

    private static object[] SxVersion1 =>
    [
        new { code = "NOTE", label = "Note", type = "text", maxLength = 200 },
        new { code = "COUNT", label = "Count", type = "integer", range = new { min = 0, max = 100 } },
        new { code = "WEIGHT", label = "Weight", type = "decimal", precision = 1, units = "kg", range = new { min = 25, max = 250 }, softRange = new { min = 40, max = 150 } },
        new { code = "DOUBLE", label = "Twice the count", type = "calculated", expression = "COUNT * 2" },
        new { code = "TAGS", label = "Tags", type = "multiChoice", codeList = new[] { new { code = "A", label = "Alpha" }, new { code = "B", label = "Beta" }, new { code = "C", label = "Gamma" } } },
        new { code = "SEEN", label = "Seen on", type = "date" },
        new { code = "AT", label = "Seen at", type = "datetime" },
        new { code = "OK", label = "All well", type = "boolean", required = true },
        new { code = "WHY", label = "Why not", type = "text", maxLength = 200, required = true, showIf = "not OK" },
        new { code = "OLDITEM", label = "Dropped in version 2", type = "text" },
    ];

    /// <summary>
    /// A trial of its own (arm strings that cannot occur by accident) with sites A and B, one randomized participant at
    /// each, the visit form SX at D0 and W4 and the log form LX. A's D0 is completed today and has SX under version 1 (a
    /// formula as note, a multiple choice, a date, a date and time at +01:00); then version 2 drops OLDITEM, adds NEWITEM
    /// and puts OK first; A's W4 (InProgress: not OK without a reason) and B's D0 are entered under it. LX: A has an entry
    /// kept and one removed, B one.
    /// </summary>
    private async Task<FormTrial> TrialAsync()
    {
        var admin = await api.AdminAsync();
        var codeA = "XA" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var codeB = "XB" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        object[] forms =
        [
            new { code = "SX", name = "Visit form", log = false, items = SxVersion1 },
            new
            {
                code = "LX", name = "Log form", log = true,
                items = new object[] { new { code = "TERM", label = "Term", type = "text", maxLength = 200, required = true }, new { code = "STARTED", label = "Started", type = "date" } },
            },
        ];
        var trial = await DistinctiveTrial.CreateAsync(admin, [codeA, codeB], forms: forms, visitForms: ["SX"]);
        var statistician = await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var coordinatorA = await api.ClientForNewUserAsync(admin, Roles.Coordinator, trial.Sites[codeA]);
        var coordinatorB = await api.ClientForNewUserAsync(admin, Roles.Coordinator, trial.Sites[codeB]);
        var a = await DistinctiveTrial.ParticipantAsync(coordinatorA, trial.Id, trial.Sites[codeA], "limited");
        var b = await DistinctiveTrial.ParticipantAsync(coordinatorB, trial.Id, trial.Sites[codeB], "diffuse");
        var pathA = $"/api/trials/{trial.Id}/participants/{a}";
        var pathB = $"/api/trials/{trial.Id}/participants/{b}";

        await OkAsync(await coordinatorA.PutAsJsonAsync($"{pathA}/visits/D0", new { status = "Completed", actualDate = Today }));
        await OkAsync(await coordinatorA.PutAsJsonAsync($"{pathA}/visits/D0/forms/SX", Values(
            ("NOTE", Formula), ("COUNT", 3), ("WEIGHT", 72.5m), ("TAGS", new[] { "A", "C" }), ("SEEN", "2026-01-20"), ("AT", "2026-01-20T09:30:00+01:00"),
            ("OK", true), ("OLDITEM", "legacy, kept")), AsWritten));
        object[] version2 = [SxVersion1[7], SxVersion1[0], .. SxVersion1[1..7], SxVersion1[8], new { code = "NEWITEM", label = "Added in version 2", type = "integer" }];
        var defined = await admin.PostAsJsonAsync($"/api/trials/{trial.Id}/forms", new { code = "SX", name = "Visit form", log = false, items = version2 });
        Assert.True(defined.StatusCode == HttpStatusCode.Created, await defined.Content.ReadAsStringAsync());
        await OkAsync(await coordinatorA.PutAsJsonAsync($"{pathA}/visits/W4/forms/SX", Values(("OK", false), ("COUNT", 1), ("NEWITEM", 7)), AsWritten));
        await OkAsync(await coordinatorB.PutAsJsonAsync($"{pathB}/visits/D0/forms/SX", Values(("OK", true), ("NOTE", "Plain, with a comma")), AsWritten));

        var kept = await EntryAsync(coordinatorA, $"{pathA}/logs/LX", Values(("TERM", "Nausea"), ("STARTED", "2026-02-01")));
        var removed = await EntryAsync(coordinatorA, $"{pathA}/logs/LX", Values(("TERM", "Headache")));
        await OkAsync(await coordinatorA.PutWithIfMatchAsync($"{pathA}/logs/LX/{removed}", new { removed = true, reason = "Entered twice" }, TestData.ETag(1), AsWritten));
        var entryB = await EntryAsync(coordinatorB, $"{pathB}/logs/LX", Values(("TERM", "Dizziness")));

        var screeningA = (await admin.GetJsonAsync(pathA)).GetProperty("screeningNumber").GetString()!;
        var screeningB = (await admin.GetJsonAsync(pathB)).GetProperty("screeningNumber").GetString()!;
        return new FormTrial(admin, statistician, coordinatorA, coordinatorB, trial.Id, trial.Sites[codeA], codeA, a, b, screeningA, screeningB, kept, removed, entryB);
    }

    private static object Values(params (string Item, object Value)[] values) =>
        new { values = values.ToDictionary(v => v.Item, v => v.Value, StringComparer.Ordinal) };

    private static async Task OkAsync(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

    private static async Task<Guid> EntryAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, AsWritten);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}
