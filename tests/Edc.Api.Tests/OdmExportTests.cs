using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Edc.Api.Tests.Infrastructure;
using Edc.Api.Tests.Odm;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// The trial as CDISC ODM 1.3.2 (docs/odm.md): every document valid against the official schema; metadata describing
/// every visit, form and item; each participant's values in ODM's formats; in a transactional file every value's history
/// with its audit record and every signature; blinded until the final unblinding; audited; for Admin, DataManager and
/// UnblindedStatistician only. Each test uses a trial of its own with the visit form VX (an item of each type) at D0
/// and W4 and the log form LX.
/// </summary>
public sealed class OdmExportTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly XNamespace Odm = OdmSchema.Odm;

    // Item codes are sent as written (WEIGHT, not weight).
    private static readonly JsonSerializerOptions AsWritten = new();

    private static readonly string Today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly object[] VxItems =
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
    ];

    // ---- Metadata and administration ----

    [Fact]
    public async Task ExportOdm_Snapshot_IsValidOdm_AndDescribesEveryVisitFormAndItem()
    {
        var t = await TrialAsync();

        var response = await t.Admin.GetAsync(Export(t, "Snapshot"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("odm-snapshot.xml", response.Content.Headers.ContentDisposition?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var odm = OdmSchema.Validated(await response.Content.ReadAsStringAsync());
        var root = odm.Root!;
        Assert.Equal("Snapshot", (string?)root.Attribute("FileType"));
        Assert.Equal("1.3.2", (string?)root.Attribute("ODMVersion"));
        var study = Assert.Single(root.Elements(Odm + "Study"));
        Assert.Equal("ST." + t.TrialCode, (string?)study.Attribute("OID"));
        var mdv = Assert.Single(study.Elements(Odm + "MetaDataVersion"));

        // Every visit in protocol order, then the unscheduled visits and the participant-level data.
        Assert.Equal(["SE.D0", "SE.W4", "SE.UNS", "SE.SUBJECT"], mdv.Elements(Odm + "StudyEventDef").Select(e => (string?)e.Attribute("OID")));
        Assert.Equal(["F.MRSS", "F.VX"], Def(mdv, "StudyEventDef", "SE.D0").Elements(Odm + "FormRef").Select(f => (string?)f.Attribute("FormOID")));
        Assert.Equal("Yes", (string?)Def(mdv, "StudyEventDef", "SE.UNS").Attribute("Repeating"));
        Assert.Equal(["F.RANDOMIZATION", "F.AE", "F.LX"], Def(mdv, "StudyEventDef", "SE.SUBJECT").Elements(Odm + "FormRef").Select(f => (string?)f.Attribute("FormOID")));

        // The built-in forms are forms too; a log form repeats.
        Assert.Equal(
            ["F.MRSS", "F.INFUSION", "F.AE", "F.VX", "F.LX", "F.RANDOMIZATION"],
            mdv.Elements(Odm + "FormDef").Select(f => (string?)f.Attribute("OID")));
        Assert.Equal("Yes", (string?)Def(mdv, "FormDef", "F.LX").Attribute("Repeating"));
        Assert.Equal("No", (string?)Def(mdv, "FormDef", "F.VX").Attribute("Repeating"));
        var group = Def(mdv, "ItemGroupDef", "IG.VX");
        Assert.Equal(
            ["NOTE", "COUNT", "WEIGHT", "DOUBLE", "TAGS", "SEEN", "AT", "OK", "WHY"],
            group.Elements(Odm + "ItemRef").Select(r => ((string)r.Attribute("ItemOID")!)["I.VX.".Length..]));
        Assert.Equal("Yes", (string?)ItemRef(group, "OK").Attribute("Mandatory"));
        Assert.Equal("No", (string?)ItemRef(group, "NOTE").Attribute("Mandatory"));

        // Types, lengths, digits, questions, units and ranges.
        Assert.Equal(("text", "200"), Type(Def(mdv, "ItemDef", "I.VX.NOTE")));
        Assert.Equal(("integer", null), Type(Def(mdv, "ItemDef", "I.VX.COUNT")));
        Assert.Equal(("date", null), Type(Def(mdv, "ItemDef", "I.VX.SEEN")));
        Assert.Equal(("datetime", null), Type(Def(mdv, "ItemDef", "I.VX.AT")));
        Assert.Equal(("boolean", null), Type(Def(mdv, "ItemDef", "I.VX.OK")));
        var weight = Def(mdv, "ItemDef", "I.VX.WEIGHT");
        Assert.Equal(("float", null), Type(weight));
        Assert.Equal("1", (string?)weight.Attribute("SignificantDigits"));
        Assert.Equal("Weight", weight.Element(Odm + "Question")?.Element(Odm + "TranslatedText")?.Value);
        var unit = (string)weight.Element(Odm + "MeasurementUnitRef")!.Attribute("MeasurementUnitOID")!;
        Assert.Equal("kg", Def(study.Element(Odm + "BasicDefinitions")!, "MeasurementUnit", unit).Element(Odm + "Symbol")!.Element(Odm + "TranslatedText")!.Value);
        Assert.Equal(
            [("GE", "Hard", "25"), ("LE", "Hard", "250"), ("GE", "Soft", "40"), ("LE", "Soft", "150")],
            weight.Elements(Odm + "RangeCheck").Select(r => ((string?)r.Attribute("Comparator"), (string?)r.Attribute("SoftHard"), r.Element(Odm + "CheckValue")?.Value)));

        // A multiple choice: its code list, marked as taking several codes.
        var tags = Def(mdv, "ItemDef", "I.VX.TAGS");
        Assert.Equal("multiChoice", (string?)tags.Element(Odm + "Alias")?.Attribute("Name"));
        var codeList = Def(mdv, "CodeList", (string)tags.Element(Odm + "CodeListRef")!.Attribute("CodeListOID")!);
        Assert.Equal(
            [("A", "Alpha"), ("B", "Beta"), ("C", "Gamma")],
            codeList.Elements(Odm + "CodeListItem").Select(i => ((string?)i.Attribute("CodedValue"), i.Element(Odm + "Decode")!.Element(Odm + "TranslatedText")!.Value)));

        // A calculation as a method; a showIf as the condition under which the item is not collected.
        var method = Def(mdv, "MethodDef", (string)ItemRef(group, "DOUBLE").Attribute("MethodOID")!);
        Assert.Equal("Computation", (string?)method.Attribute("Type"));
        Assert.Equal(("Edc", "COUNT * 2"), Expression(method));
        var condition = Def(mdv, "ConditionDef", (string)ItemRef(group, "WHY").Attribute("CollectionExceptionConditionOID")!);
        Assert.Equal(("Edc", "not (not OK)"), Expression(condition));

        // Administration: the site, the users who entered data, a signature definition per meaning.
        var admin = Assert.Single(root.Elements(Odm + "AdminData"));
        Assert.Equal("Site", (string?)Def(admin, "Location", "LOC." + t.SiteCode).Attribute("LocationType"));
        Assert.Equal(t.CoordinatorEmail, Def(admin, "User", $"USR.{t.CoordinatorId}").Element(Odm + "Email")?.Value);
        Assert.Equal(["SD.Approval", "SD.Review", "SD.Responsibility"], admin.Elements(Odm + "SignatureDef").Select(d => (string?)d.Attribute("OID")));
    }

    // ---- Data ----

    [Fact]
    public async Task ExportOdm_Snapshot_HasEachParticipantsCurrentValuesInOdmFormats()
    {
        var t = await TrialAsync();

        var odm = OdmSchema.Validated(await t.Admin.GetStringAsync(Export(t, "Snapshot")));

        var clinical = Assert.Single(odm.Root!.Elements(Odm + "ClinicalData"));
        Assert.Equal("ST." + t.TrialCode, (string?)clinical.Attribute("StudyOID"));
        var subject = Assert.Single(clinical.Elements(Odm + "SubjectData"));
        Assert.Equal(t.Screening, (string?)subject.Attribute("SubjectKey"));
        Assert.Equal("LOC." + t.SiteCode, (string?)subject.Element(Odm + "SiteRef")?.Attribute("LocationOID"));

        // The current values, as ODM writes them: the edited count, the calculation after it, codes by a space, times in UTC.
        var vx = Values(Form(subject, "SE.D0", "F.VX"));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["NOTE"] = "First <visit> & \"all\" fine",
                ["COUNT"] = "4",
                ["WEIGHT"] = "72.5",
                ["DOUBLE"] = "8",
                ["TAGS"] = "A C",
                ["SEEN"] = "2026-01-20",
                ["AT"] = "2026-01-20T08:30:00Z",
                ["OK"] = "true",
            },
            vx);
        Assert.Equal("17", Values(Form(subject, "SE.D0", "F.MRSS"))["total"]);

        // The participant-level data: the randomization (no arm: still blind) and the log entry by its key.
        var randomization = Values(Form(subject, "SE.SUBJECT", "F.RANDOMIZATION"));
        Assert.Equal(["randomizationNumber", "randomizedAt"], randomization.Keys.Order(StringComparer.Ordinal));
        var entry = Form(subject, "SE.SUBJECT", "F.LX");
        Assert.Equal("1", (string?)entry.Attribute("FormRepeatKey"));
        Assert.Equal("Nausea", Values(entry)["TERM"]);

        // A snapshot is the current state: no transactions, no audit records.
        Assert.DoesNotContain(odm.Descendants(), e => e.Attribute("TransactionType") is not null);
        Assert.Empty(odm.Descendants(Odm + "AuditRecord"));
    }

    [Fact]
    public async Task ExportOdm_Transactional_CarriesEveryValuesHistory_EachChangeWithWhoWhereWhenWhyAndItsAuditRow()
    {
        var t = await TrialAsync();

        var odm = OdmSchema.Validated(await t.DataManager.GetStringAsync(Export(t, "Transactional")));

        Assert.Equal("Transactional", (string?)odm.Root!.Attribute("FileType"));
        var subject = odm.Root.Element(Odm + "ClinicalData")!.Elements(Odm + "SubjectData").First();
        var counts = Form(subject, "SE.D0", "F.VX").Descendants(Odm + "ItemData").Where(i => (string?)i.Attribute("ItemOID") == "I.VX.COUNT").ToList();
        Assert.Equal([("Insert", "3"), ("Update", "4")], counts.Select(c => ((string?)c.Attribute("TransactionType"), (string?)c.Attribute("Value"))));
        var doubles = Form(subject, "SE.D0", "F.VX").Descendants(Odm + "ItemData").Where(i => (string?)i.Attribute("ItemOID") == "I.VX.DOUBLE");
        Assert.Equal(["6", "8"], doubles.Select(d => (string?)d.Attribute("Value")));

        var edit = counts[1].Element(Odm + "AuditRecord")!;
        Assert.Equal($"USR.{t.CoordinatorId}", (string?)edit.Element(Odm + "UserRef")?.Attribute("UserOID"));
        Assert.Equal("LOC." + t.SiteCode, (string?)edit.Element(Odm + "LocationRef")?.Attribute("LocationOID"));
        Assert.Equal("Transcription error", edit.Element(Odm + "ReasonForChange")?.Value);
        var stamp = DateTimeOffset.Parse(edit.Element(Odm + "DateTimeStamp")!.Value, CultureInfo.InvariantCulture);
        Assert.InRange(stamp, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(counts[0].Element(Odm + "AuditRecord")!.Element(Odm + "ReasonForChange"));

        // The source is the row of the hash-chained audit trail that recorded the change.
        var sequence = long.Parse(edit.Element(Odm + "SourceID")!.Value["audit-trail:".Length..], CultureInfo.InvariantCulture);
        Assert.Equal("COUNT 3 4 Transcription error", await Sql.ScalarAsync<string>(
            api.ConnectionString, "SELECT field || ' ' || old_value || ' ' || new_value || ' ' || reason FROM audit_entries WHERE seq = @p", sequence));

        // The removed log entry: its values, then its removal with the reason; a snapshot leaves it out.
        var second = subject.Elements(Odm + "StudyEventData").Single(e => (string?)e.Attribute("StudyEventOID") == "SE.SUBJECT")
            .Elements(Odm + "FormData").Where(f => (string?)f.Attribute("FormOID") == "F.LX" && (string?)f.Attribute("FormRepeatKey") == "2").ToList();
        Assert.Equal(["Upsert", "Remove"], second.Select(f => (string?)f.Attribute("TransactionType")));
        Assert.Equal("Entered twice", second[1].Element(Odm + "AuditRecord")?.Element(Odm + "ReasonForChange")?.Value);

        // Every user an audit record names is in the administration data.
        var users = odm.Root.Element(Odm + "AdminData")!.Elements(Odm + "User").Select(u => (string?)u.Attribute("OID")).ToHashSet();
        Assert.All(odm.Descendants(Odm + "UserRef"), r => Assert.Contains((string?)r.Attribute("UserOID"), users));
    }

    [Fact]
    public async Task ExportOdm_Signatures_TransactionalHasEvery_InvalidatedOnesWithWhenWhoAndWhy_SnapshotTheValidOne()
    {
        var t = await TrialAsync();
        var (investigatorId, investigatorEmail) = await t.Admin.CreateUserAsync([Roles.Investigator], t.SiteId);
        var investigator = await api.LoginAsync(investigatorEmail, TestData.UserPassword);
        var path = $"/api/trials/{t.TrialId}/participants/{t.Participant}";
        var added = await t.Coordinator.PostAsJsonAsync($"{path}/visits", new { name = "Flare", actualDate = Today, procedures = new[] { "Mrss" } });
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var visit = (await added.JsonAsync()).GetProperty("code").GetString()!;
        await OkAsync(await t.Coordinator.PutAsJsonAsync($"{path}/visits/{visit}/mrss", Mrss(1, null)));
        await SignAsync(investigator, path, visit);
        var current = await t.Coordinator.GetAsync($"{path}/visits/{visit}/mrss");
        await OkAsync(await t.Coordinator.PutWithIfMatchAsync($"{path}/visits/{visit}/mrss", Mrss(2, "Face rescored"), TestData.ETagOf(current)));
        await SignAsync(investigator, path, visit);

        var transactional = OdmSchema.Validated(await t.Admin.GetStringAsync(Export(t, "Transactional")));
        var events = Subject(transactional).Elements(Odm + "StudyEventData").Where(e => (string?)e.Attribute("StudyEventOID") == "SE.UNS").ToList();
        Assert.All(events, e => Assert.Equal(visit["UNS".Length..], (string?)e.Attribute("StudyEventRepeatKey")));
        var signed = events.Where(e => e.Element(Odm + "Signature") is not null).ToList();
        Assert.Equal(2, signed.Count);
        Assert.All(signed, e =>
        {
            var signature = e.Element(Odm + "Signature")!;
            Assert.Equal("Context", (string?)e.Attribute("TransactionType"));
            Assert.Equal($"USR.{investigatorId}", (string?)signature.Element(Odm + "UserRef")?.Attribute("UserOID"));
            Assert.Equal("SD.Approval", (string?)signature.Element(Odm + "SignatureRef")?.Attribute("SignatureOID"));
        });
        var invalidated = signed[0].Element(Odm + "Annotation")!.Element(Odm + "Comment")!.Value;
        Assert.Contains("Invalidated at", invalidated, StringComparison.Ordinal);
        Assert.Contains("Test Coordinator: Face rescored", invalidated, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalidated", signed[1].Element(Odm + "Annotation")!.Element(Odm + "Comment")!.Value, StringComparison.Ordinal);

        // The MRSS history: the first face score, then the rescored one with its reason.
        var faces = events[0].Descendants(Odm + "ItemData").Where(i => (string?)i.Attribute("ItemOID") == "I.MRSS.face").ToList();
        Assert.Equal([("Insert", "1"), ("Update", "2")], faces.Select(f => ((string?)f.Attribute("TransactionType"), (string?)f.Attribute("Value"))));
        Assert.Equal("Face rescored", faces[1].Element(Odm + "AuditRecord")?.Element(Odm + "ReasonForChange")?.Value);

        // A snapshot shows the signature that holds: the second.
        var snapshot = OdmSchema.Validated(await t.Admin.GetStringAsync(Export(t, "Snapshot")));
        var unscheduled = Assert.Single(Subject(snapshot).Elements(Odm + "StudyEventData"), e => (string?)e.Attribute("StudyEventOID") == "SE.UNS");
        var shown = unscheduled.Element(Odm + "Signature")!.Element(Odm + "DateTimeStamp")!.Value;
        Assert.Equal(signed[1].Element(Odm + "Signature")!.Element(Odm + "DateTimeStamp")!.Value, shown);
    }

    // ---- Round trip ----

    [Fact]
    public async Task ExportOdm_TheDemoTrialsMetadata_ImportedIntoANewTrial_ExportsTheSameForms()
    {
        var admin = await api.AdminAsync();
        var demo = OdmSchema.Validated(await admin.GetStringAsync($"/api/trials/{await admin.DemoTrialIdAsync()}/exports/odm"));
        var other = await DistinctiveTrial.CreateAsync(admin, ["RT" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()], forms: [], visitForms: []);

        var imported = await admin.PostAsync($"/api/trials/{other.Id}/forms/import", new StringContent(demo.ToString(), System.Text.Encoding.UTF8, "application/xml"));

        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var again = OdmSchema.Validated(await admin.GetStringAsync($"/api/trials/{other.Id}/exports/odm"));
        var (before, after) = (Definitions(demo), Definitions(again));
        Assert.True(before.Count > 40, $"The demo trial's forms: {before.Count} definitions");
        Assert.Contains(before, d => d.StartsWith("<ConditionDef", StringComparison.Ordinal));
        Assert.Contains(before, d => d.StartsWith("<MethodDef", StringComparison.Ordinal));
        Assert.Equal(before, after);

        // Every form, item, code list, unit, range, condition and method, as the metadata writes them.
        static List<string> Definitions(XDocument odm)
        {
            var study = odm.Root!.Element(Odm + "Study")!;
            return [.. study.Descendants()
                .Where(e => e.Name.LocalName is "FormDef" or "ItemGroupDef" or "ItemDef" or "CodeList" or "ConditionDef" or "MethodDef" or "MeasurementUnit")
                .Select(e => e.ToString(SaveOptions.DisableFormatting))];
        }
    }

    // ---- Blinding, access and audit ----

    [Fact]
    public async Task ExportOdm_BeforeTheFinalUnblinding_NamesNoArm_AfterItHasEachParticipantsArm()
    {
        var t = await TrialAsync();
        foreach (var client in new[] { t.Admin, t.DataManager, t.Statistician })
        {
            foreach (var type in new[] { "Snapshot", "Transactional" })
            {
                var text = await client.GetStringAsync(Export(t, type));
                Assert.DoesNotContain(DistinctiveTrial.ArmStrings, secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
                Assert.DoesNotContain("I.RANDOMIZATION.arm", text, StringComparison.Ordinal);
            }
        }

        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(t.Statistician, t.TrialId);
        Assert.Equal(HttpStatusCode.OK, (await t.Admin.PostAsync($"/api/trials/{t.TrialId}/lock", null)).StatusCode);
        var unblinding = await t.Statistician.PostAsync($"/api/trials/{t.TrialId}/final-unblinding", null);
        Assert.True(unblinding.StatusCode == HttpStatusCode.OK, await unblinding.Content.ReadAsStringAsync());

        var odm = OdmSchema.Validated(await t.DataManager.GetStringAsync(Export(t, "Snapshot")));
        Assert.Equal(armOf[t.Participant], Values(Form(Subject(odm), "SE.SUBJECT", "F.RANDOMIZATION"))["arm"]);
        var arms = Def(odm.Root!.Element(Odm + "Study")!.Element(Odm + "MetaDataVersion")!, "CodeList", "CL.RANDOMIZATION.arm");
        Assert.Equal(
            [(DistinctiveTrial.ActiveCode, DistinctiveTrial.ActiveName), (DistinctiveTrial.PlaceboCode, DistinctiveTrial.PlaceboName)],
            arms.Elements(Odm + "CodeListItem").Select(i => ((string?)i.Attribute("CodedValue"), i.Element(Odm + "Decode")!.Element(Odm + "TranslatedText")!.Value)));
    }

    [Fact]
    public async Task ExportOdm_ForOtherRoles_Is403_ForAnUnknownType_Is400_AndEveryExportIsAudited()
    {
        var t = await TrialAsync();
        foreach (var role in new[] { Roles.DsmbMember, Roles.Pharmacist, Roles.Coordinator, Roles.Investigator, Roles.Monitor })
        {
            var client = await api.ClientForNewUserAsync(t.Admin, role, Roles.SiteScoped.Contains(role) ? [t.SiteId] : []);
            await (await client.GetAsync(Export(t, "Snapshot"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        var unknown = await t.Admin.GetAsync(Export(t, "Everything"));
        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Snapshot", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await t.Admin.GetAsync($"/api/trials/{Guid.NewGuid()}/exports/odm")).AssertProblemAsync(HttpStatusCode.NotFound);

        await OkAsync(await t.Statistician.GetAsync($"/api/trials/{t.TrialId}/exports/odm"));
        await OkAsync(await t.DataManager.GetAsync(Export(t, "Transactional")));
        var audited = await Sql.ScalarAsync<string>(
            api.ConnectionString,
            "SELECT string_agg(new_value, ' | ' ORDER BY seq) FROM audit_entries WHERE action = 'Export' AND entity_id = @p",
            t.TrialId.ToString());
        Assert.Equal("odm (Snapshot, blinded) | odm (Transactional, blinded)", audited);
    }

    // ---- The trial ----

    private sealed record OdmTrial(
        HttpClient Admin, HttpClient Statistician, HttpClient DataManager, HttpClient Coordinator, Guid CoordinatorId, string CoordinatorEmail,
        Guid TrialId, string TrialCode, Guid SiteId, string SiteCode, Guid Participant, string Screening);

    /// <summary>
    /// A trial of its own with one site and one randomized participant: D0 completed today with VX entered (count 3), then
    /// edited (count 4, "Transcription error"), and the MRSS of D0 (every area 1); one LX entry, and a second removed ("Entered twice").
    /// </summary>
    private async Task<OdmTrial> TrialAsync()
    {
        var admin = await api.AdminAsync();
        var siteCode = "OD" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        object[] forms =
        [
            new { code = "VX", name = "Visit form", log = false, items = VxItems },
            new
            {
                code = "LX", name = "Log form", log = true,
                items = new object[] { new { code = "TERM", label = "Term", type = "text", maxLength = 200, required = true }, new { code = "STARTED", label = "Started", type = "date" } },
            },
        ];
        var trial = await DistinctiveTrial.CreateAsync(admin, [siteCode], forms: forms, visitForms: ["VX"]);
        var siteId = trial.Sites[siteCode];
        var statistician = await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var dataManager = await api.ClientForNewUserAsync(admin, Roles.DataManager);
        var (coordinatorId, coordinatorEmail) = await admin.CreateUserAsync([Roles.Coordinator], siteId);
        var coordinator = await api.LoginAsync(coordinatorEmail, TestData.UserPassword);
        var participant = await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, siteId, "limited");
        var path = $"/api/trials/{trial.Id}/participants/{participant}";

        await OkAsync(await coordinator.PutAsJsonAsync($"{path}/visits/D0", new { status = "Completed", actualDate = Today }));
        var saved = await coordinator.PutAsJsonAsync($"{path}/visits/D0/forms/VX", Values(
            ("NOTE", "First <visit> & \"all\" fine"), ("COUNT", 3), ("WEIGHT", 72.5m), ("TAGS", new[] { "A", "C" }), ("SEEN", "2026-01-20"),
            ("AT", "2026-01-20T09:30:00+01:00"), ("OK", true)), AsWritten);
        await OkAsync(saved);
        var edited = await coordinator.PutWithIfMatchAsync($"{path}/visits/D0/forms/VX", new
        {
            values = new Dictionary<string, object>
            {
                ["NOTE"] = "First <visit> & \"all\" fine",
                ["COUNT"] = 4,
                ["WEIGHT"] = 72.5m,
                ["TAGS"] = new[] { "A", "C" },
                ["SEEN"] = "2026-01-20",
                ["AT"] = "2026-01-20T09:30:00+01:00",
                ["OK"] = true,
            },
            reason = "Transcription error",
        }, TestData.ETagOf(saved), AsWritten);
        await OkAsync(edited);
        await OkAsync(await coordinator.PutAsJsonAsync($"{path}/visits/D0/mrss", Mrss(1, null)));
        var entry = await coordinator.PostAsJsonAsync($"{path}/logs/LX", Values(("TERM", "Nausea")), AsWritten);
        Assert.True(entry.StatusCode == HttpStatusCode.Created, await entry.Content.ReadAsStringAsync());
        var twice = await coordinator.PostAsJsonAsync($"{path}/logs/LX", Values(("TERM", "Nausea")), AsWritten);
        Assert.True(twice.StatusCode == HttpStatusCode.Created, await twice.Content.ReadAsStringAsync());
        var removed = (await twice.JsonAsync()).GetProperty("id").GetGuid();
        await OkAsync(await coordinator.PutWithIfMatchAsync($"{path}/logs/LX/{removed}", new { removed = true, reason = "Entered twice" }, TestData.ETag(1), AsWritten));

        var screening = (await admin.GetJsonAsync(path)).GetProperty("screeningNumber").GetString()!;
        return new OdmTrial(admin, statistician, dataManager, coordinator, coordinatorId, coordinatorEmail, trial.Id, trial.Code, siteId, siteCode, participant, screening);
    }

    private static string Export(OdmTrial t, string type) => $"/api/trials/{t.TrialId}/exports/odm?type={type}";

    private static XElement Def(XElement parent, string element, string oid) =>
        Assert.Single(parent.Elements(Odm + element), e => (string?)e.Attribute("OID") == oid);

    private static XElement ItemRef(XElement group, string itemCode) =>
        Assert.Single(group.Elements(Odm + "ItemRef"), r => (string?)r.Attribute("ItemOID") == "I.VX." + itemCode);

    private static (string? DataType, string? Length) Type(XElement itemDef) => ((string?)itemDef.Attribute("DataType"), (string?)itemDef.Attribute("Length"));

    private static (string? Context, string Text) Expression(XElement def) =>
        ((string?)def.Element(Odm + "FormalExpression")?.Attribute("Context"), def.Element(Odm + "FormalExpression")!.Value);

    private static XElement Subject(XDocument odm) => odm.Root!.Element(Odm + "ClinicalData")!.Elements(Odm + "SubjectData").First();

    private static XElement Form(XElement subject, string studyEvent, string form) =>
        Assert.Single(
            subject.Elements(Odm + "StudyEventData").Where(e => (string?)e.Attribute("StudyEventOID") == studyEvent).SelectMany(e => e.Elements(Odm + "FormData")),
            f => (string?)f.Attribute("FormOID") == form);

    /// <summary>A form's values by item code (the part of the item's OID after the form's).</summary>
    private static Dictionary<string, string> Values(XElement formData) =>
        formData.Descendants(Odm + "ItemData").ToDictionary(
            i => ((string)i.Attribute("ItemOID")!).Split('.', 3)[2], i => (string?)i.Attribute("Value") ?? string.Empty, StringComparer.Ordinal);

    private static object Values(params (string Item, object Value)[] values) =>
        new { values = values.ToDictionary(v => v.Item, v => v.Value, StringComparer.Ordinal) };

    private static object Mrss(int score, string? reason) => new
    {
        assessedOn = Today,
        assessorName = "Dr A",
        scores = Edc.Domain.Visits.MrssAssessment.Areas.ToDictionary(a => a, _ => score),
        reason,
    };

    private static async Task SignAsync(HttpClient investigator, string participantPath, string visitCode)
    {
        var response = await investigator.PostAsJsonAsync($"{participantPath}/signatures", new { scope = "Visit", visitCode, meaning = "Approval", password = TestData.UserPassword });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task OkAsync(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
}
