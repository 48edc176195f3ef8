using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>Freezing a form: a data manager freezes it with a reason; every write path to its data then refuses with 409 FormFrozen until it is unfrozen.</summary>
public sealed class FreezeTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static string Freeze(RandomizedParticipant p, string visitCode, string formCode) => $"{p.Form(visitCode, formCode)}/freeze";

    private static string Unfreeze(RandomizedParticipant p, string visitCode, string formCode) => $"{p.Form(visitCode, formCode)}/unfreeze";

    private static object Because(string reason) => new { reason };

    [Fact]
    public async Task FreezeForm_AsDataManager_RefusesEditsOfTheForm409FormFrozen_AndEveryViewShowsItFrozen()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync(1975);
        var dataManager = await api.DataManagerAsync(p);

        var frozen = await dataManager.PostJsonAsync(Freeze(p, "SCR", "DM"), Because("Ready for the interim analysis"));

        Assert.True(frozen.StatusCode == HttpStatusCode.OK, await frozen.Content.ReadAsStringAsync());
        var review = await frozen.JsonAsync();
        Assert.True(review.GetProperty("frozen").GetBoolean());
        Assert.Equal("Test DataManager", review.GetProperty("frozenBy").GetString());
        var edit = await p.EditDemographicsAsync(1976, "Typo");
        await edit.AssertRuleAsync("FormFrozen");
        var form = await p.Coordinator.GetJsonAsync(p.Form("SCR", "DM"));
        Assert.Equal(1975, form.GetProperty("values").GetProperty("BIRTHYEAR").GetInt32());
        Assert.True(form.GetProperty("frozen").GetBoolean());
        Assert.True((await p.Coordinator.ListedAsync(p, "SCR", "DM")).GetProperty("frozen").GetBoolean());
        Assert.True((await dataManager.InCasebookAsync(p, "SCR", "DM")).GetProperty("frozen").GetBoolean());
    }

    [Fact]
    public async Task FrozenForm_RefusesEvenItsFirstSave_WhileTheVisitsOtherFormsTakeData()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync();
        var dataManager = await api.DataManagerAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Freeze(p, "D0", "VS"), Because("Not collected at this site"))).StatusCode);

        var vs = await p.Coordinator.PutAsJsonAsync(p.Form("D0", "VS"), Vitals(), ReviewedForms.AsWritten);
        var mrss = await p.Coordinator.PutAsJsonAsync(p.Mrss("D0"), ReviewedForms.MrssScores());
        var otherVisit = await p.Coordinator.PutAsJsonAsync(p.Form("W2", "VS"), Vitals(), ReviewedForms.AsWritten);

        await vs.AssertRuleAsync("FormFrozen");
        Assert.Equal("NotStarted", (await p.Coordinator.GetJsonAsync(p.Form("D0", "VS"))).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, mrss.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherVisit.StatusCode);
    }

    [Fact]
    public async Task FrozenMrss_RefusesItsEntryAndItsEdit()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);
        var saved = await p.Coordinator.PutAsJsonAsync(p.Mrss("W12"), ReviewedForms.MrssScores(face: 1));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Freeze(p, "D0", "MRSS"), Because("Baseline locked for analysis"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Freeze(p, "W12", "MRSS"), Because("Week 12 locked for analysis"))).StatusCode);

        var entry = await p.Coordinator.PutAsJsonAsync(p.Mrss("D0"), ReviewedForms.MrssScores());
        var edit = await p.Coordinator.PutWithIfMatchAsync(p.Mrss("W12"), ReviewedForms.MrssScores(face: 3, reason: "Rescored"), TestData.ETagOf(saved));

        await entry.AssertRuleAsync("FormFrozen");
        await edit.AssertRuleAsync("FormFrozen");
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM mrss_assessments m JOIN visits v ON v.id = m.visit_id WHERE v.participant_id = @p AND v.code = 'D0'", p.ParticipantId));
        Assert.Equal(17, (await p.Coordinator.GetJsonAsync(p.Mrss("W12"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task FrozenInfusion_RefusesItsEntry()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Freeze(p, "D0", "INFUSION"), Because("Reconciled with pharmacy"))).StatusCode);

        var infusion = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        await infusion.AssertRuleAsync("FormFrozen");
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM infusions WHERE participant_id = @p", p.ParticipantId));
    }

    /// <summary>A visit's own data (its date and status) belong to no form: recording the visit is not a change of its frozen forms.</summary>
    [Fact]
    public async Task RecordingAVisit_WithAFrozenForm_IsNotAChangeOfTheForm()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Freeze(p, "D0", "VS"), Because("Reviewed"))).StatusCode);

        var visit = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0", new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) });

        Assert.True(visit.StatusCode == HttpStatusCode.OK, await visit.Content.ReadAsStringAsync());
        Assert.True((await p.Coordinator.ListedAsync(p, "D0", "VS")).GetProperty("frozen").GetBoolean());
    }

    [Fact]
    public async Task UnfreezeForm_LetsTheFormChangeAgain()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync(1975);
        var dataManager = await api.DataManagerAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Freeze(p, "SCR", "DM"), Because("Reviewed"))).StatusCode);

        var unfrozen = await dataManager.PostJsonAsync(Unfreeze(p, "SCR", "DM"), Because("Query on the birth year"));
        var edit = await p.EditDemographicsAsync(1976, "Corrected from the source");

        Assert.True(unfrozen.StatusCode == HttpStatusCode.OK, await unfrozen.Content.ReadAsStringAsync());
        Assert.False((await unfrozen.JsonAsync()).GetProperty("frozen").GetBoolean());
        Assert.True(edit.StatusCode == HttpStatusCode.OK, await edit.Content.ReadAsStringAsync());
        Assert.False((await p.Coordinator.ListedAsync(p, "SCR", "DM")).GetProperty("frozen").GetBoolean());
        var reasons = (await p.Admin.GetJsonAsync($"/api/trials/{p.TrialId}/audit?entityType=FormReview&pageSize=200&userId={await UserIdAsync(dataManager)}"))
            .GetProperty("items").EnumerateArray().Select(a => a.GetProperty("reason").GetString()).ToList();
        Assert.Contains("Reviewed", reasons);
        Assert.Contains("Query on the birth year", reasons);
    }

    [Fact]
    public async Task FreezeTwice_Returns409FormFrozen_AndUnfreezeOfAFormNotFrozen409FormNotFrozen()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Freeze(p, "SCR", "DM"), Because("Reviewed"))).StatusCode);

        await (await dataManager.PostJsonAsync(Freeze(p, "SCR", "DM"), Because("Again"))).AssertRuleAsync("FormFrozen");
        await (await dataManager.PostJsonAsync(Unfreeze(p, "D0", "VS"), Because("Never frozen"))).AssertRuleAsync("FormNotFrozen");
    }

    [Fact]
    public async Task FreezeAndUnfreeze_WithoutAReason_Return400()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);

        var freeze = await dataManager.PostJsonAsync(Freeze(p, "SCR", "DM"), new { });
        var blank = await dataManager.PostJsonAsync(Freeze(p, "SCR", "DM"), Because(" "));
        var unfreeze = await dataManager.PostJsonAsync(Unfreeze(p, "SCR", "DM"), new { });

        foreach (var response in new[] { freeze, blank, unfreeze })
        {
            await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        }

        Assert.False((await p.Coordinator.ListedAsync(p, "SCR", "DM")).GetProperty("frozen").GetBoolean());
    }

    [Fact]
    public async Task FreezeForm_ByAnyRoleButDataManager_Returns403()
    {
        var p = await api.RandomizedAsync();
        var monitor = await api.MonitorAsync(p);

        await (await p.Coordinator.PostJsonAsync(Freeze(p, "SCR", "DM"), Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await monitor.PostJsonAsync(Freeze(p, "SCR", "DM"), Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await p.Admin.PostJsonAsync(Freeze(p, "SCR", "DM"), Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await monitor.PostJsonAsync(Unfreeze(p, "SCR", "DM"), Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>
    /// A freeze and an edit of the same form sent together: either the edit commits first (and the freeze after it), or the
    /// edit is refused as frozen. Never is an edit committed after the freeze: the edit's audit row precedes the freeze's.
    /// </summary>
    [Fact]
    public async Task FreezeAndEditAtOnce_EitherTheEditCommitsBeforeTheFreezeOrItIsRefused()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync(1950);
        var dataManager = await api.DataManagerAsync(p);
        var recordId = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM form_records WHERE participant_id = @p AND form_code = 'DM'", p.ParticipantId);
        var stored = 1950;
        var outcomes = new List<string>();

        for (var round = 1; round <= 8; round++)
        {
            var year = 1950 + round;
            var read = await p.Coordinator.GetAsync(p.Form("SCR", "DM"));
            var editing = p.Coordinator.PutWithIfMatchAsync(p.Form("SCR", "DM"), ReviewedForms.Demographics(year, $"Round {round}"), TestData.ETagOf(read), ReviewedForms.AsWritten);
            var freezing = dataManager.PostJsonAsync(Freeze(p, "SCR", "DM"), Because($"Round {round}"));
            await Task.WhenAll(editing, freezing);
            var (edit, freeze) = (await editing, await freezing);

            Assert.True(freeze.StatusCode == HttpStatusCode.OK, await freeze.Content.ReadAsStringAsync());
            if (edit.StatusCode == HttpStatusCode.OK)
            {
                var edited = await SequenceAsync($"entity_type = 'FormRecord' AND entity_id = '{recordId}' AND field = 'BIRTHYEAR' AND new_value = '{year}'");
                var frozen = await SequenceAsync($"entity_type = 'FormReview' AND field = 'FrozenAt' AND new_value IS NOT NULL AND reason = 'Round {round}' AND trial_id = '{p.TrialId}'");
                Assert.True(edited < frozen, $"Round {round}: the edit (audit row {edited}) was committed after the freeze (audit row {frozen}).");
                stored = year;
                outcomes.Add("edit first");
            }
            else
            {
                await edit.AssertRuleAsync("FormFrozen");
                outcomes.Add("edit refused");
            }

            Assert.Equal(stored, (await p.Coordinator.GetJsonAsync(p.Form("SCR", "DM"))).GetProperty("values").GetProperty("BIRTHYEAR").GetInt32());
            Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync(Unfreeze(p, "SCR", "DM"), Because($"Round {round} done"))).StatusCode);
        }

        Assert.Equal(8, outcomes.Count);
    }

    private Task<long> SequenceAsync(string where) =>
        Sql.ScalarAsync<long>(api.ConnectionString, $"SELECT max(seq) FROM audit_entries WHERE {where}");

    private static async Task<Guid> UserIdAsync(HttpClient client) => (await client.GetJsonAsync("/api/me")).GetProperty("id").GetGuid();

    private static object Vitals() => new
    {
        values = new Dictionary<string, object?> { ["WEIGHT"] = 70m, ["SYSBP"] = 120, ["DIABP"] = 80, ["PULSE"] = 72, ["TEMP"] = 36.8m },
    };
}
