using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>
/// A second trial with forms of its own, defined through the API: its definition checked with field errors, entered end to
/// end, and changed by new versions under which new data are entered while earlier data keep theirs.
/// </summary>
public sealed class FormDefinitionTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly JsonSerializerOptions AsWritten = new();

    private static object Labs(params object[] extraItems) => new
    {
        code = "LAB",
        name = "Laboratory",
        log = false,
        items = (object[])
        [
            new { code = "HB", label = "Haemoglobin", type = "decimal", precision = 1, units = "g/dL", required = true, range = new { min = 2, max = 25 }, softRange = new { min = 11, max = 17 } },
            new { code = "CREAT", label = "Creatinine", type = "integer", units = "µmol/L", required = true, range = new { min = 10, max = 2000 } },
            new { code = "EGFR", label = "eGFR estimate", type = "calculated", expression = "round(10000 / CREAT, 0)" },
            new { code = "URINE", label = "Urine dipstick", type = "multiChoice", codeList = new[] { new { code = "PROT", label = "Protein" }, new { code = "BLOOD", label = "Blood" } } },
            new { code = "REPEAT", label = "Repeat sample taken", type = "boolean", required = true, showIf = "HB < 8" },
            .. extraItems,
        ],
    };

    private static object AdverseReactions => new
    {
        code = "REACT",
        name = "Infusion reactions",
        log = true,
        items = new object[]
        {
            new { code = "SYMPTOM", label = "Symptom", type = "choice", required = true, codeList = new[] { new { code = "RASH", label = "Rash" }, new { code = "FEVER", label = "Fever" } } },
            new { code = "ONSET", label = "Onset", type = "datetime", required = true },
        },
    };

    private async Task<(HttpClient Admin, Guid TrialId, Guid SiteId)> TrialAsync(params object[] forms)
    {
        var admin = await api.AdminAsync();
        var code = "FT-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var response = await admin.PostAsJsonAsync("/api/trials", new
        {
            code,
            title = "Second trial " + code,
            arms = new[] { new { code = "A", name = "Active", ratio = 1 }, new { code = "B", name = "Control", ratio = 1 } },
            visitDefinitions = new[]
            {
                new { code = "BASE", name = "Baseline", day = 0, windowBefore = 0, windowAfter = 0, procedures = Array.Empty<string>(), forms = new[] { "LAB", "INFUSION" } },
                new { code = "M3", name = "Month 3", day = 91, windowBefore = 7, windowAfter = 7, procedures = Array.Empty<string>(), forms = new[] { "LAB" } },
            },
            eligibilityCriteria = new[] { new { code = "ADULT", kind = "Inclusion", text = "Aged 18 or older" } },
            stratificationFactors = Array.Empty<object>(),
            sites = new[] { new { code = "S1", name = "Site one" } },
            forms,
        }, AsWritten);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var trialId = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var sites = await admin.GetJsonAsync($"/api/trials/{trialId}/sites");
        return (admin, trialId, sites.GetProperty("items")[0].GetProperty("id").GetGuid());
    }

    private async Task<(HttpClient Coordinator, string Path)> RandomizedAsync(HttpClient admin, Guid trialId, Guid siteId)
    {
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");
        if ((await statistician.GetAsync($"/api/trials/{trialId}/randomization-list")).StatusCode == HttpStatusCode.NotFound)
        {
            await statistician.CreateListAsync(trialId);
        }

        var participantId = await coordinator.EnrolledAsync(trialId, siteId);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.RandomizeAsync(trialId, participantId)).StatusCode);
        return (coordinator, $"/api/trials/{trialId}/participants/{participantId}");
    }

    [Fact]
    public async Task SecondTrial_WithItsOwnForms_IsEnteredEndToEnd()
    {
        var (admin, trialId, siteId) = await TrialAsync(Labs(), AdverseReactions);
        var (coordinator, path) = await RandomizedAsync(admin, trialId, siteId);

        var trial = await coordinator.GetJsonAsync($"/api/trials/{trialId}");
        var forms = await coordinator.GetJsonAsync($"{path}/visits/BASE/forms");
        var low = await coordinator.PutAsJsonAsync($"{path}/visits/BASE/forms/LAB", new { values = new { HB = 7.4m, CREAT = 80, URINE = new[] { "PROT" } } }, AsWritten);
        var reaction = await coordinator.PostAsJsonAsync($"{path}/logs/REACT", new { values = new { SYMPTOM = "RASH", ONSET = "2026-12-01T10:15:00+01:00" } }, AsWritten);
        var definitions = await coordinator.GetJsonAsync($"/api/trials/{trialId}/forms");

        Assert.Equal(["INFUSION", "LAB"], trial.GetProperty("visitDefinitions")[0].GetProperty("forms").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["Infusion"], trial.GetProperty("visitDefinitions")[0].GetProperty("procedures").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["INFUSION", "LAB"], forms.EnumerateArray().Select(f => f.GetProperty("formCode").GetString()));
        Assert.True(low.StatusCode == HttpStatusCode.OK, await low.Content.ReadAsStringAsync());
        var lab = await low.JsonAsync();
        Assert.Equal(125m, lab.GetProperty("values").GetProperty("EGFR").GetDecimal());
        Assert.Equal("InProgress", lab.GetProperty("status").GetString()); // a low haemoglobin asks whether a repeat sample was taken
        Assert.Equal("HB", Assert.Single(lab.GetProperty("warnings").EnumerateArray()).GetProperty("itemCode").GetString());
        Assert.Equal(HttpStatusCode.Created, reaction.StatusCode);
        Assert.Equal("2026-12-01T09:15:00Z", (await reaction.JsonAsync()).GetProperty("values").GetProperty("ONSET").GetString());
        Assert.Equal(["MRSS", "INFUSION", "AE", "LAB", "REACT"], definitions.EnumerateArray().Select(d => d.GetProperty("code").GetString()));
        Assert.Equal("multiChoice", definitions[3].GetProperty("items")[3].GetProperty("type").GetString());
    }

    [Fact]
    public async Task CreateTrial_WithFormsThatDoNotHold_Returns400KeyedByTheirPath()
    {
        var admin = await api.AdminAsync();
        var badLab = new
        {
            code = "LAB",
            name = "Laboratory",
            items = new object[]
            {
                new { code = "HB", label = "Haemoglobin", type = "decimal", range = new { min = 2, max = 25 }, softRange = new { min = 1, max = 17 } },
                new { code = "A", label = "A", type = "integer" },
                new { code = "B", label = "B", type = "calculated", expression = "A + 1" },
                new { code = "KIND", label = "Kind", type = "choice" },
                new { code = "WHEN", label = "When", type = "date" },
                new { code = "ODD", label = "Odd", type = "colour" },
            },
        };

        var response = await admin.PostAsJsonAsync("/api/trials", new
        {
            code = "BAD-" + Guid.NewGuid().ToString("N")[..8],
            title = "Bad forms",
            arms = new[] { new { code = "A", name = "Active", ratio = 1 }, new { code = "B", name = "Control", ratio = 1 } },
            visitDefinitions = new[] { new { code = "BASE", name = "Baseline", day = 0, windowBefore = 0, windowAfter = 0, procedures = Array.Empty<string>(), forms = new[] { "LAB", "GHOST" } } },
            forms = new[] { badLab },
        }, AsWritten);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["forms[0].items[5].type"], errors.EnumerateObject().Select(e => e.Name)); // a type that does not exist is reported first

        badLab.items[5] = new { code = "ODD", label = "Odd", type = "text" };
        var again = await admin.PostAsJsonAsync("/api/trials", new
        {
            code = "BAD-" + Guid.NewGuid().ToString("N")[..8],
            title = "Bad forms",
            arms = new[] { new { code = "A", name = "Active", ratio = 1 }, new { code = "B", name = "Control", ratio = 1 } },
            visitDefinitions = new[] { new { code = "BASE", name = "Baseline", day = 0, windowBefore = 0, windowAfter = 0, procedures = Array.Empty<string>(), forms = new[] { "LAB", "GHOST" } } },
            forms = new[] { badLab },
        }, AsWritten);
        await again.AssertProblemAsync(HttpStatusCode.BadRequest);
        var keys = (await again.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("forms[0].items[0].softRange", keys);
        Assert.Contains("forms[0].items[3].codeList", keys);
        Assert.Contains("visitDefinitions[0].forms[1]", keys); // GHOST is no form of the trial
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM trials WHERE title = 'Bad forms'"));
    }

    [Fact]
    public async Task DefineForm_ANewVersion_DataKeepTheirVersion_AndNewEntriesUseTheNewest()
    {
        var (admin, trialId, siteId) = await TrialAsync(Labs(), AdverseReactions);
        var (coordinator, path) = await RandomizedAsync(admin, trialId, siteId);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync($"{path}/visits/BASE/forms/LAB", new { values = new { HB = 13.2m, CREAT = 80 } }, AsWritten)).StatusCode);

        var added = await admin.PostAsJsonAsync($"/api/trials/{trialId}/forms",
            Labs(new { code = "ALB", label = "Albumin", type = "integer", units = "g/L", required = true }), AsWritten);

        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        Assert.Equal(2, (await added.JsonAsync()).GetProperty("version").GetInt32());
        var kept = await coordinator.GetJsonAsync($"{path}/visits/BASE/forms/LAB");
        Assert.Equal(1, kept.GetProperty("formVersion").GetInt32());
        Assert.Equal("Complete", kept.GetProperty("status").GetString());
        var editedUnderItsVersion = await coordinator.PutWithIfMatchAsync(
            $"{path}/visits/BASE/forms/LAB", new { values = new { HB = 13.4m, CREAT = 80, ALB = 40 }, reason = "Albumin added" }, TestData.ETag(1), AsWritten);
        await editedUnderItsVersion.AssertProblemAsync(HttpStatusCode.BadRequest); // version 1 has no albumin
        var newest = await coordinator.PutAsJsonAsync($"{path}/visits/M3/forms/LAB", new { values = new { HB = 13.0m, CREAT = 82 } }, AsWritten);
        var body = await newest.JsonAsync();
        Assert.Equal(2, body.GetProperty("formVersion").GetInt32());
        Assert.Equal("InProgress", body.GetProperty("status").GetString()); // albumin is required from version 2
        Assert.Equal(2, (await admin.GetJsonAsync($"/api/trials/{trialId}/forms")).EnumerateArray().Single(f => f.GetProperty("code").GetString() == "LAB").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task DefineForm_ThatDoesNotHold_Returns400KeyedByItsPath_AndAddsNothing()
    {
        var (admin, trialId, _) = await TrialAsync(Labs(), AdverseReactions);

        var response = await admin.PostAsJsonAsync($"/api/trials/{trialId}/forms", new
        {
            code = "LAB",
            name = "Laboratory",
            items = new object[] { new { code = "HB", label = "Haemoglobin", type = "decimal", range = new { min = 30, max = 2 } } },
        }, AsWritten);
        var toLog = await admin.PostAsJsonAsync($"/api/trials/{trialId}/forms", new { code = "LAB", name = "Laboratory", log = true, items = new object[] { new { code = "HB", label = "Haemoglobin", type = "decimal" } } }, AsWritten);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("items[0].range", out _));
        await toLog.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await toLog.JsonAsync()).GetProperty("errors").TryGetProperty("log", out _));
        Assert.Equal(2L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM trial_forms WHERE trial_id = @p", trialId));
    }

    [Fact]
    public async Task Forms_AfterTheDatabaseLock_RefuseEveryChangeWith409()
    {
        var (admin, trialId, siteId) = await TrialAsync(Labs(), AdverseReactions);
        var (coordinator, path) = await RandomizedAsync(admin, trialId, siteId);
        var saved = await coordinator.PutAsJsonAsync($"{path}/visits/BASE/forms/LAB", new { values = new { HB = 13.2m, CREAT = 80 } }, AsWritten);
        var entry = await coordinator.PostAsJsonAsync($"{path}/logs/REACT", new { values = new { SYMPTOM = "FEVER", ONSET = "2026-12-01T10:15:00Z" } }, AsWritten);
        var entryId = (await entry.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/trials/{trialId}/lock", null)).StatusCode);

        var edit = await coordinator.PutWithIfMatchAsync($"{path}/visits/BASE/forms/LAB", new { values = new { HB = 13.4m, CREAT = 80 }, reason = "Late fix" }, TestData.ETag(1), AsWritten);
        var first = await coordinator.PutAsJsonAsync($"{path}/visits/M3/forms/LAB", new { values = new { HB = 13.0m, CREAT = 82 } }, AsWritten);
        var added = await coordinator.PostAsJsonAsync($"{path}/logs/REACT", new { values = new { SYMPTOM = "RASH", ONSET = "2026-12-02T10:15:00Z" } }, AsWritten);
        var removed = await coordinator.PutWithIfMatchAsync($"{path}/logs/REACT/{entryId}", new { removed = true, reason = "Late" }, TestData.ETag(1), AsWritten);
        var version = await admin.PostAsJsonAsync($"/api/trials/{trialId}/forms", Labs(), AsWritten);

        foreach (var refused in new[] { edit, first, added, removed, version })
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("TrialLocked", (await refused.JsonAsync()).GetProperty("rule").GetString());
        }
    }
}
