using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>Source-data verification: a monitor of the participant's site verifies a form's data; any later change clears it, audited with the change's reason.</summary>
public sealed class VerificationTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static string Verification(RandomizedParticipant p, string visitCode, string formCode) => $"{p.Form(visitCode, formCode)}/verification";

    [Fact]
    public async Task VerifyForm_AsMonitorOfTheSite_RecordsWhoAndWhenAndEveryViewOfTheFormShowsIt()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync();
        var monitor = await api.MonitorAsync(p);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var response = await monitor.PostJsonAsync(Verification(p, "SCR", "DM"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var review = await response.JsonAsync();
        Assert.Equal("DM", review.GetProperty("formCode").GetString());
        Assert.Equal("SCR", review.GetProperty("visitCode").GetString());
        Assert.True(review.GetProperty("verified").GetBoolean());
        Assert.Equal("Test Monitor", review.GetProperty("verifiedBy").GetString());
        Assert.InRange(review.GetProperty("verifiedAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.False(review.GetProperty("frozen").GetBoolean());
        Assert.True((await p.Coordinator.GetJsonAsync(p.Form("SCR", "DM"))).GetProperty("verified").GetBoolean());
        Assert.True((await p.Coordinator.ListedAsync(p, "SCR", "DM")).GetProperty("verified").GetBoolean());
        Assert.True((await monitor.InCasebookAsync(p, "SCR", "DM")).GetProperty("verified").GetBoolean());
        Assert.False((await p.Coordinator.ListedAsync(p, "D0", "VS")).GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task VerifyForm_WithoutData_Returns409FormNotEnteredForAFormAndTheBuiltInOnes()
    {
        var p = await api.RandomizedAsync();
        var monitor = await api.MonitorAsync(p);

        await (await monitor.PostJsonAsync(Verification(p, "D0", "VS"))).AssertRuleAsync("FormNotEntered");
        await (await monitor.PostJsonAsync(Verification(p, "D0", "MRSS"))).AssertRuleAsync("FormNotEntered");
        await (await monitor.PostJsonAsync(Verification(p, "D0", "INFUSION"))).AssertRuleAsync("FormNotEntered");
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM form_reviews WHERE participant_id = @p", p.ParticipantId));

        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync(p.Mrss("D0"), ReviewedForms.MrssScores())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await monitor.PostJsonAsync(Verification(p, "D0", "MRSS"))).StatusCode);
        Assert.True((await monitor.GetJsonAsync(p.Form("D0", "MRSS"))).GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task VerifyForm_ByAMonitorOfAnotherSite_Returns404AndByOtherRoles403()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync();
        var otherMonitor = await api.OtherSiteMonitorAsync(p);
        var dataManager = await api.DataManagerAsync(p);
        var investigator = await api.ClientForNewUserAsync(p.Admin, "Investigator", p.SiteId);

        await (await otherMonitor.PostJsonAsync(Verification(p, "SCR", "DM"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherMonitor.GetAsync($"{p.Path}/verification")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await p.Coordinator.PostJsonAsync(Verification(p, "SCR", "DM"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await investigator.PostJsonAsync(Verification(p, "SCR", "DM"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await dataManager.PostJsonAsync(Verification(p, "SCR", "DM"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.False((await p.Coordinator.GetJsonAsync(p.Form("SCR", "DM"))).GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task VerifyForm_OfAnUnknownVisitOrAFormTheVisitDoesNotCollect_Returns404()
    {
        var p = await api.RandomizedAsync();
        var monitor = await api.MonitorAsync(p);

        await (await monitor.PostJsonAsync(Verification(p, "W99", "VS"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await monitor.PostJsonAsync(Verification(p, "W2", "PFT"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await monitor.PostJsonAsync(Verification(p, "W2", "CM"))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EditOfAVerifiedVisitForm_ClearsTheVerification_AndTheAuditTrailAndTheWorksheetShowTheChangeWithItsReason()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync(1975);
        var monitor = await api.MonitorAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await monitor.PostJsonAsync(Verification(p, "SCR", "DM"))).StatusCode);

        var edited = await p.EditDemographicsAsync(1976, "Birth year misread from the source");

        Assert.True(edited.StatusCode == HttpStatusCode.OK, await edited.Content.ReadAsStringAsync());
        Assert.False((await edited.JsonAsync()).GetProperty("verified").GetBoolean());
        Assert.False((await p.Coordinator.GetJsonAsync(p.Form("SCR", "DM"))).GetProperty("verified").GetBoolean());
        Assert.False((await monitor.ListedAsync(p, "SCR", "DM")).GetProperty("verified").GetBoolean());
        var cleared = await ClearingRowAsync(p, "DM");
        Assert.Equal("Birth year misread from the source", cleared.GetProperty("reason").GetString());
        Assert.Null(cleared.GetProperty("newValue").GetString());

        var worksheet = await monitor.GetJsonAsync($"{p.Path}/verification");
        var dm = WorksheetForm(worksheet, "SCR", "DM");
        Assert.False(dm.GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.String, dm.GetProperty("lastVerifiedAt").ValueKind);
        var change = Assert.Single(dm.GetProperty("changesSinceVerification").EnumerateArray(), c => c.GetProperty("field").GetString() == "BIRTHYEAR");
        Assert.Equal("1975", change.GetProperty("oldValue").GetString());
        Assert.Equal("1976", change.GetProperty("newValue").GetString());
        Assert.Equal("Birth year misread from the source", change.GetProperty("reason").GetString());
        Assert.Equal("Test Coordinator", change.GetProperty("changedBy").GetString());
    }

    [Fact]
    public async Task EditOfAVerifiedMrss_ClearsTheVerification_AuditedWithTheChangesReason()
    {
        var p = await api.RandomizedAsync();
        var saved = await p.Coordinator.PutAsJsonAsync(p.Mrss("D0"), ReviewedForms.MrssScores(face: 1));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var monitor = await api.MonitorAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await monitor.PostJsonAsync(Verification(p, "D0", "MRSS"))).StatusCode);

        var edited = await p.Coordinator.PutWithIfMatchAsync(p.Mrss("D0"), ReviewedForms.MrssScores(face: 2, reason: "Face rescored"), TestData.ETagOf(saved));

        Assert.True(edited.StatusCode == HttpStatusCode.OK, await edited.Content.ReadAsStringAsync());
        Assert.False((await monitor.GetJsonAsync(p.Form("D0", "MRSS"))).GetProperty("verified").GetBoolean());
        Assert.False((await monitor.InCasebookAsync(p, "D0", "MRSS")).GetProperty("verified").GetBoolean());
        Assert.Equal("Face rescored", (await ClearingRowAsync(p, "MRSS")).GetProperty("reason").GetString());
        var mrss = WorksheetForm(await monitor.GetJsonAsync($"{p.Path}/verification"), "D0", "MRSS");
        Assert.Contains(mrss.GetProperty("changesSinceVerification").EnumerateArray(), c => c.GetProperty("reason").GetString() == "Face rescored");
    }

    [Fact]
    public async Task SavingAVerifiedFormsSameValuesAgain_ChangesNothing_AndTheVerificationStands()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync(1975);
        var monitor = await api.MonitorAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await monitor.PostJsonAsync(Verification(p, "SCR", "DM"))).StatusCode);

        var again = await p.EditDemographicsAsync(1975, "Checked again");

        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Assert.True((await again.JsonAsync()).GetProperty("verified").GetBoolean());
        Assert.True((await p.Coordinator.GetJsonAsync(p.Form("SCR", "DM"))).GetProperty("verified").GetBoolean());
        var worksheet = await monitor.GetJsonAsync($"{p.Path}/verification");
        Assert.Empty(WorksheetForm(worksheet, "SCR", "DM").GetProperty("changesSinceVerification").EnumerateArray());
    }

    [Fact]
    public async Task Worksheet_ListsEachVisitsFormsWithStatusAndWhoVerified()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync();
        var monitor = await api.MonitorAsync(p);
        Assert.Equal(HttpStatusCode.OK, (await monitor.PostJsonAsync(Verification(p, "SCR", "DM"))).StatusCode);

        var worksheet = await monitor.GetJsonAsync($"{p.Path}/verification");

        Assert.Equal(p.ParticipantId, worksheet.GetProperty("participantId").GetGuid());
        Assert.False(worksheet.GetProperty("locked").GetBoolean());
        var dm = WorksheetForm(worksheet, "SCR", "DM");
        Assert.Equal("Complete", dm.GetProperty("status").GetString());
        Assert.True(dm.GetProperty("verified").GetBoolean());
        Assert.Equal("Test Monitor", dm.GetProperty("verifiedBy").GetString());
        var vs = WorksheetForm(worksheet, "D0", "VS");
        Assert.Equal("NotStarted", vs.GetProperty("status").GetString());
        Assert.False(vs.GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, vs.GetProperty("lastVerifiedAt").ValueKind);
        Assert.Equal(["MRSS", "INFUSION", "VS", "BIOPSY"], Visit(worksheet, "D0").GetProperty("forms").EnumerateArray().Select(f => f.GetProperty("formCode").GetString()));
    }

    private static JsonElement Visit(JsonElement worksheet, string visitCode) =>
        worksheet.GetProperty("visits").EnumerateArray().Single(v => v.GetProperty("visitCode").GetString() == visitCode);

    private static JsonElement WorksheetForm(JsonElement worksheet, string visitCode, string formCode) =>
        Visit(worksheet, visitCode).GetProperty("forms").EnumerateArray().Single(f => f.GetProperty("formCode").GetString() == formCode);

    /// <summary>The audit trail's row where the form's verification was cleared (VerifiedAt set to nothing).</summary>
    private async Task<JsonElement> ClearingRowAsync(RandomizedParticipant p, string formCode)
    {
        var reviewId = await Sql.ScalarAsync<Guid>(
            api.ConnectionString, $"SELECT id FROM form_reviews WHERE participant_id = @p AND form_code = '{formCode}'", p.ParticipantId);
        var trail = await p.Admin.GetJsonAsync($"/api/trials/{p.TrialId}/audit?entityType=FormReview&entityId={reviewId}&pageSize=200");
        return Assert.Single(
            trail.GetProperty("items").EnumerateArray(),
            a => a.GetProperty("field").GetString() == "VerifiedAt" && a.GetProperty("action").GetString() == "Update" && a.GetProperty("newValue").ValueKind == JsonValueKind.Null);
    }
}
