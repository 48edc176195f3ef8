using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Features.Forms;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>Forms defined as data, on the demonstration trial's own forms (DM, VS, PFT, BIOPSY, CM, MH): entry, checks, edits, versions, audit.</summary>
public sealed class FormTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    // Item codes are sent as written (WEIGHT, not weight): the body's property names are not camel-cased.
    private static readonly JsonSerializerOptions AsWritten = new();

    private static string Form(RandomizedParticipant p, string visitCode, string formCode) => $"{p.Path}/visits/{visitCode}/forms/{formCode}";

    private static string Log(RandomizedParticipant p, string formCode) => $"{p.Path}/logs/{formCode}";

    private static object Vitals(decimal weight, string? preg = null, int sysbp = 120) => new
    {
        values = new Dictionary<string, object?>
        {
            ["WEIGHT"] = weight,
            ["SYSBP"] = sysbp,
            ["DIABP"] = 80,
            ["PULSE"] = 72,
            ["TEMP"] = 36.8m,
            ["PREG"] = preg,
        },
    };

    private static object Demographics(string sex) => new
    {
        values = new Dictionary<string, object>
        {
            ["SEX"] = sex,
            ["BIRTHYEAR"] = 1975,
            ["ETHNIC"] = "NOTHISPANIC",
            ["RACE"] = "WHITE",
            ["FIRSTSYMPTOM"] = "2025-03-01",
            ["RNAPOL3"] = "POS",
            ["SCL70"] = "NEG",
            ["ACA"] = "ND",
        },
    };

    private async Task<List<JsonElement>> AuditAsync(RandomizedParticipant p, Guid recordId)
    {
        var trail = await p.Admin.GetJsonAsync($"/api/trials/{p.TrialId}/audit?entityType=FormRecord&entityId={recordId}&pageSize=200");
        return [.. trail.GetProperty("items").EnumerateArray()];
    }

    private static string? Field(JsonElement auditEntry) => auditEntry.TryGetProperty("field", out var field) ? field.GetString() : null;

    // ---- A visit's forms ----

    [Fact]
    public async Task ListVisitForms_AtDayZero_ListsTheBuiltInAndTheTrialsFormsNotStarted()
    {
        var p = await api.RandomizedAsync();

        var r = await p.Coordinator.GetAsync($"{p.Path}/visits/D0/forms");
        Assert.True(r.StatusCode == HttpStatusCode.OK, string.Join("\n", api.Logs.Lines.Where(l => l.Contains("Exception", StringComparison.Ordinal)).Take(3)));
        var forms = await p.Coordinator.GetJsonAsync($"{p.Path}/visits/D0/forms");

        Assert.Equal(["MRSS", "INFUSION", "VS", "BIOPSY"], forms.EnumerateArray().Select(f => f.GetProperty("formCode").GetString()));
        Assert.All(forms.EnumerateArray(), f => Assert.Equal("NotStarted", f.GetProperty("status").GetString()));
        Assert.Equal("Vital signs", forms[2].GetProperty("name").GetString());
        Assert.False(forms[2].GetProperty("verified").GetBoolean());
        Assert.Equal(0, forms[2].GetProperty("openQueries").GetInt32());
    }

    [Fact]
    public async Task GetVisitForm_BeforeItsFirstSave_AnswersNotStartedWithoutETag()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.GetAsync(Form(p, "W2", "VS"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.ETag);
        var body = await response.JsonAsync();
        Assert.Equal("NotStarted", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("values").EnumerateObject());
    }

    [Fact]
    public async Task GetVisitForm_OfAFormTheVisitDoesNotCollect_Returns404()
    {
        var p = await api.RandomizedAsync();

        await (await p.Coordinator.GetAsync(Form(p, "W2", "PFT"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await p.Coordinator.GetAsync(Form(p, "W2", "NOPE"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await p.Coordinator.GetAsync(Form(p, "W2", "CM"))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- Entry ----

    [Fact]
    public async Task SaveVisitForm_VitalSigns_ComputesTheDoseFromTheDaysWeightAndWarnsOutsideTheSoftRange()
    {
        var p = await api.RandomizedAsync();
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync(Form(p, "SCR", "DM"), Demographics("M"), AsWritten)).StatusCode);

        var saved = await p.Coordinator.PutAsJsonAsync(Form(p, "D0", "VS"), Vitals(38.2m, sysbp: 170), AsWritten);

        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var body = await saved.JsonAsync();
        Assert.Equal(382m, body.GetProperty("values").GetProperty("DOSE").GetDecimal());
        Assert.Equal("Complete", body.GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("formVersion").GetInt32());
        Assert.Equal(["WEIGHT", "SYSBP"], body.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("itemCode").GetString()));
        Assert.Equal(TestData.ETag(1), TestData.ETagOf(saved));
        var read = await p.Coordinator.GetAsync(Form(p, "D0", "VS"));
        Assert.Equal(body.ToString(), (await read.JsonAsync()).ToString());
        Assert.Equal(TestData.ETag(1), TestData.ETagOf(read));
        var listed = await p.Coordinator.GetJsonAsync($"{p.Path}/visits/D0/forms");
        Assert.Equal("Complete", listed.EnumerateArray().Single(f => f.GetProperty("formCode").GetString() == "VS").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SaveVisitForm_ForAWoman_AsksThePregnancyTestAndIsInProgressWithoutIt()
    {
        var p = await api.RandomizedAsync();
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync(Form(p, "SCR", "DM"), Demographics("F"), AsWritten)).StatusCode);

        var without = await p.Coordinator.PutAsJsonAsync(Form(p, "W2", "VS"), Vitals(61.5m), AsWritten);
        var with = await p.Coordinator.PutAsJsonAsync(Form(p, "W4", "VS"), Vitals(61.5m, preg: "NEG"), AsWritten);

        Assert.Equal("InProgress", (await without.JsonAsync()).GetProperty("status").GetString());
        var complete = await with.JsonAsync();
        Assert.Equal("Complete", complete.GetProperty("status").GetString());
        Assert.Equal(615m, complete.GetProperty("values").GetProperty("DOSE").GetDecimal());
    }

    [Fact]
    public async Task SaveVisitForm_WithBadValues_Returns400KeyedByItemAndSavesNothing()
    {
        var p = await api.RandomizedAsync();
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync(Form(p, "SCR", "DM"), Demographics("M"), AsWritten)).StatusCode);

        var response = await p.Coordinator.PutAsJsonAsync(Form(p, "D0", "VS"), new
        {
            values = new Dictionary<string, object>
            {
                ["WEIGHT"] = 300,
                ["SYSBP"] = 120.5m,
                ["DIABP"] = "eighty",
                ["PULSE"] = 72,
                ["TEMP"] = 36.8m,
                ["DOSE"] = 700,
                ["PREG"] = "NEG",
                ["HEIGHT"] = 170,
            },
        }, AsWritten);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(
            new[] { "values.DIABP", "values.DOSE", "values.HEIGHT", "values.PREG", "values.SYSBP", "values.WEIGHT" },
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("25 to 250 kg", errors.GetProperty("values.WEIGHT")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("NotStarted", (await p.Coordinator.GetJsonAsync(Form(p, "D0", "VS"))).GetProperty("status").GetString());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM form_records WHERE participant_id = @p AND form_code = 'VS'", p.ParticipantId));
    }

    [Fact]
    public async Task SaveVisitForm_ShowIfOfTheSameForm_HidesItemsAndRequiresThemOnlyWhileShown()
    {
        var p = await api.RandomizedAsync();

        var notTaken = await p.Coordinator.PutAsJsonAsync(Form(p, "D0", "BIOPSY"), new { values = new { TAKEN = false, NOTTAKENREASON = "Declined" } }, AsWritten);
        var hiddenButGiven = await p.Coordinator.PutAsJsonAsync(Form(p, "W52", "BIOPSY"), new { values = new { TAKEN = false, NOTTAKENREASON = "Declined", SITE = "FOREARM" } }, AsWritten);

        Assert.True(notTaken.StatusCode == HttpStatusCode.OK, await notTaken.Content.ReadAsStringAsync());
        Assert.Equal("Complete", (await notTaken.JsonAsync()).GetProperty("status").GetString());
        await hiddenButGiven.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await hiddenButGiven.JsonAsync()).GetProperty("errors").TryGetProperty("values.SITE", out _));
    }

    // ---- Edits ----

    [Fact]
    public async Task SaveVisitForm_AnEdit_NeedsReasonAndIfMatch_RefusesAStaleVersion_AndAuditsEachChangedItem()
    {
        var p = await api.RandomizedAsync();
        var first = await p.Coordinator.PutAsJsonAsync(Form(p, "SCR", "PFT"), new { values = new { FVC = 72.5m, DLCO = 55.0m } }, AsWritten);
        var id = (await first.JsonAsync()).GetProperty("id").GetGuid();
        var edit = new { values = new { FVC = 75.5m, DLCO = 55.0m }, reason = "Transcription error" };

        var noReason = await p.Coordinator.PutWithIfMatchAsync(Form(p, "SCR", "PFT"), new { values = new { FVC = 75.5m, DLCO = 55.0m } }, TestData.ETag(1), AsWritten);
        var noIfMatch = await p.Coordinator.PutWithIfMatchAsync(Form(p, "SCR", "PFT"), edit, null, AsWritten);
        var stale = await p.Coordinator.PutWithIfMatchAsync(Form(p, "SCR", "PFT"), edit, TestData.ETag(7), AsWritten);
        var edited = await p.Coordinator.PutWithIfMatchAsync(Form(p, "SCR", "PFT"), edit, TestData.ETag(1), AsWritten);

        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        await noIfMatch.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        await stale.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(edited));
        var again = await p.Coordinator.PutWithIfMatchAsync(Form(p, "SCR", "PFT"), edit, TestData.ETag(2), AsWritten);
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(again)); // the same values again change nothing
        var trail = await AuditAsync(p, id);
        var fvc = trail.Where(a => Field(a) == "FVC").ToList();
        Assert.Equal(2, fvc.Count);
        var update = fvc.Single(a => a.GetProperty("action").GetString() == "Update");
        Assert.Equal("72.5", update.GetProperty("oldValue").GetString());
        Assert.Equal("75.5", update.GetProperty("newValue").GetString());
        Assert.Equal("Transcription error", update.GetProperty("reason").GetString());
        Assert.DoesNotContain(trail, a => a.GetProperty("action").GetString() == "Update" && Field(a) == "DLCO");
        Assert.DoesNotContain(trail, a => Field(a) == "Values");
    }

    [Fact]
    public async Task SaveVisitForm_FirstSavesAtOnce_OneIsSavedAndTheOthersAreRefused()
    {
        var p = await api.RandomizedAsync();
        var body = new { values = new { FVC = 80m, DLCO = 60m } };

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => p.Coordinator.PutAsJsonAsync(Form(p, "W24", "PFT"), body, AsWritten)));

        Assert.True(1 == answers.Count(a => a.StatusCode == HttpStatusCode.OK), await answers[0].Content.ReadAsStringAsync());
        // A save that met the winner's row answers 409; one that read it already is an edit without its reason and If-Match (400).
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.BadRequest }));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM form_records WHERE participant_id = @p AND form_code = 'PFT'", p.ParticipantId));
    }

    [Fact]
    public async Task SaveVisitForm_FirstSaveAndEdit_EachInFourRoundTrips()
    {
        var p = await api.RandomizedAsync();
        await p.Coordinator.PutAsJsonAsync(Form(p, "SCR", "PFT"), new { values = new { FVC = 80m, DLCO = 60m } }, AsWritten); // the trial's forms read once
        Task<FormDataView> SaveAsync(decimal fvc, string? reason, string? ifMatch) => SendAsync(p, new SaveVisitForm.Command(
            p.TrialId, p.ParticipantId, "W24", "PFT", new() { ["FVC"] = JsonSerializer.SerializeToElement(fvc), ["DLCO"] = JsonSerializer.SerializeToElement(60m) }, reason, ifMatch));

        var (first, firstRoundTrips) = await CountedStatements.CountAsync(() => SaveAsync(80m, null, null));
        var (edit, editRoundTrips) = await CountedStatements.CountAsync(() => SaveAsync(82m, "Transcription error", TestData.ETag(1)));

        // BEGIN holding the trial's and the participant's rows; the form's context with what the change could touch (review,
        // signatures, automatic queries); the record's INSERT or UPDATE; the audit rows with the COMMIT.
        Assert.Equal((1, 4), (first.Version, firstRoundTrips));
        Assert.Equal((2, 4), (edit.Version, editRoundTrips));
    }

    private async Task<T> SendAsync<T>(RandomizedParticipant p, IRequest<T> request)
    {
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(Guid.NewGuid(), "counted@test.local", [Roles.Coordinator], [p.SiteId]);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    // ---- Log forms ----

    [Fact]
    public async Task LogForm_EntriesAreAddedListedCorrectedAndRemovedWithAReason_NeverDeleted()
    {
        var p = await api.RandomizedAsync();
        var mmf = new
        {
            values = new { DRUG = "Mycophenolate mofetil", INDICATION = "Systemic sclerosis", DOSE = 1000, UNIT = "MG", FREQ = "BID", STARTDATE = "2026-01-20", ONGOING = true },
        };
        var added = await p.Coordinator.PostAsJsonAsync(Log(p, "CM"), mmf, AsWritten);
        var second = await p.Coordinator.PostAsJsonAsync(Log(p, "CM"), new
        {
            values = new { DRUG = "Omeprazole", INDICATION = "Reflux", DOSE = 20, UNIT = "MG", FREQ = "QD", STARTDATE = "2025-06-01", ONGOING = false },
        }, AsWritten);

        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var id = (await added.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal($"{Log(p, "CM")}/{id}", added.Headers.Location?.ToString());
        Assert.Equal("InProgress", (await second.JsonAsync()).GetProperty("status").GetString()); // the stop date is asked when not ongoing

        var corrected = await p.Coordinator.PutWithIfMatchAsync($"{Log(p, "CM")}/{id}", new
        {
            values = new { DRUG = "Mycophenolate mofetil", INDICATION = "Systemic sclerosis", DOSE = 1500, UNIT = "MG", FREQ = "BID", STARTDATE = "2026-01-20", ONGOING = true },
            reason = "Titrated",
        }, TestData.ETag(1), AsWritten);
        var removedWithoutReason = await p.Coordinator.PutWithIfMatchAsync($"{Log(p, "CM")}/{id}", new { removed = true }, TestData.ETag(2), AsWritten);
        var removed = await p.Coordinator.PutWithIfMatchAsync($"{Log(p, "CM")}/{id}", new { removed = true, reason = "Entered for the wrong participant" }, TestData.ETag(2), AsWritten);
        var afterRemoval = await p.Coordinator.PutWithIfMatchAsync($"{Log(p, "CM")}/{id}", new { values = mmf.values, reason = "Again" }, TestData.ETag(3), AsWritten);

        Assert.Equal(1500m, (await corrected.JsonAsync()).GetProperty("values").GetProperty("DOSE").GetDecimal());
        await removedWithoutReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await removed.JsonAsync()).GetProperty("removed").GetBoolean());
        await afterRemoval.AssertProblemAsync(HttpStatusCode.Conflict);
        var list = await p.Coordinator.GetJsonAsync($"{Log(p, "CM")}?pageSize=1");
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.True(list.GetProperty("items")[0].GetProperty("removed").GetBoolean());
        Assert.Equal("Entered for the wrong participant", list.GetProperty("items")[0].GetProperty("removedReason").GetString());
        var trail = await AuditAsync(p, id);
        Assert.Contains(trail, a => Field(a) == "Removed" && a.GetProperty("reason").GetString() == "Entered for the wrong participant");
    }

    [Fact]
    public async Task LogForm_AtAVisitOrAsAVisitsForm_IsNotFound()
    {
        var p = await api.RandomizedAsync();

        await (await p.Coordinator.PostAsJsonAsync(Log(p, "VS"), new { values = new { WEIGHT = 70 } }, AsWritten)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await p.Coordinator.PutAsJsonAsync(Form(p, "D0", "MH"), new { values = new { CONDITION = "Raynaud" } }, AsWritten)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- Built-in forms ----

    [Fact]
    public async Task BuiltInForms_ReadAsForms_AndAreEnteredThroughTheirOwnEndpoints()
    {
        var p = await api.RandomizedAsync();
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var area in new[] { "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
                     "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot" })
        {
            scores[area] = 2;
        }

        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0/mrss", new
        {
            assessedOn = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"),
            assessorName = "Dr Khanna",
            scores,
        }, AsWritten)).StatusCode);

        var mrss = await p.Coordinator.GetJsonAsync(Form(p, "D0", "MRSS"));
        var put = await p.Coordinator.PutAsJsonAsync(Form(p, "D0", "MRSS"), new { values = new { face = 1 } });

        Assert.Equal("Complete", mrss.GetProperty("status").GetString());
        Assert.Equal(34m, mrss.GetProperty("values").GetProperty("total").GetDecimal());
        Assert.Equal("Dr Khanna", mrss.GetProperty("values").GetProperty("assessorName").GetString());
        await put.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("BuiltInForm", (await put.JsonAsync()).GetProperty("rule").GetString());
        var forms = await p.Coordinator.GetJsonAsync($"{p.Path}/visits/D0/forms");
        Assert.Equal("Complete", forms[0].GetProperty("status").GetString());
    }

    // ---- Site scoping ----

    [Fact]
    public async Task VisitForm_OfAnotherSitesParticipant_Returns404()
    {
        var p = await api.RandomizedAsync();
        var otherSite = await p.Admin.AddSiteAsync(p.TrialId, "FRM" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant());
        var stranger = await api.ClientForNewUserAsync(p.Admin, "Coordinator", otherSite);

        await (await stranger.GetAsync(Form(p, "SCR", "PFT"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PutAsJsonAsync(Form(p, "SCR", "PFT"), new { values = new { FVC = 80m, DLCO = 60m } }, AsWritten)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(Log(p, "CM"))).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
