using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// Steps the data-management tests share: a monitor of the participant's site and a data manager (made through the admin
/// API), the demonstration trial's demographics form (DM at SCR) to save and edit, and reading a 409's rule.
/// </summary>
public static class ReviewedForms
{
    // Item codes are sent as written (SEX, not sex).
    public static readonly JsonSerializerOptions AsWritten = new();

    public static Task<HttpClient> MonitorAsync(this EdcApiFactory api, RandomizedParticipant p) =>
        api.ClientForNewUserAsync(p.Admin, "Monitor", p.SiteId);

    public static Task<HttpClient> DataManagerAsync(this EdcApiFactory api, RandomizedParticipant p) =>
        api.ClientForNewUserAsync(p.Admin, "DataManager");

    /// <summary>A monitor of a new site of the demonstration trial: not the participant's.</summary>
    public static async Task<HttpClient> OtherSiteMonitorAsync(this EdcApiFactory api, RandomizedParticipant p)
    {
        var site = await p.Admin.AddSiteAsync(p.TrialId, "DM-" + Guid.NewGuid().ToString("N")[..8]);
        return await api.ClientForNewUserAsync(p.Admin, "Monitor", site);
    }

    public static string Form(this RandomizedParticipant p, string visitCode, string formCode) => $"{p.Path}/visits/{visitCode}/forms/{formCode}";

    public static string Mrss(this RandomizedParticipant p, string visitCode) => $"{p.Path}/visits/{visitCode}/mrss";

    public static object Demographics(int birthYear = 1975, string? reason = null) => new
    {
        values = new Dictionary<string, object>
        {
            ["SEX"] = "M",
            ["BIRTHYEAR"] = birthYear,
            ["ETHNIC"] = "NOTHISPANIC",
            ["RACE"] = "WHITE",
            ["FIRSTSYMPTOM"] = "2025-03-01",
            ["RNAPOL3"] = "POS",
            ["SCL70"] = "NEG",
            ["ACA"] = "ND",
        },
        reason,
    };

    /// <summary>An MRSS assessment of 1 in every area (total 17), assessed today.</summary>
    public static object MrssScores(int face = 1, string? reason = null) => new
    {
        assessedOn = DateOnly.FromDateTime(DateTime.UtcNow),
        assessorName = "Dr A",
        scores = new Dictionary<string, int>
        {
            ["face"] = face,
            ["anteriorChest"] = 1,
            ["abdomen"] = 1,
            ["rightFingers"] = 1,
            ["leftFingers"] = 1,
            ["rightHand"] = 1,
            ["leftHand"] = 1,
            ["rightForearm"] = 1,
            ["leftForearm"] = 1,
            ["rightUpperArm"] = 1,
            ["leftUpperArm"] = 1,
            ["rightThigh"] = 1,
            ["leftThigh"] = 1,
            ["rightLowerLeg"] = 1,
            ["leftLowerLeg"] = 1,
            ["rightFoot"] = 1,
            ["leftFoot"] = 1,
        },
        reason,
    };

    /// <summary>Saves the participant's demographics for the first time (DM at SCR), asserting it saved.</summary>
    public static async Task SaveDemographicsAsync(this RandomizedParticipant p, int birthYear = 1975)
    {
        var saved = await p.Coordinator.PutAsJsonAsync(p.Form("SCR", "DM"), Demographics(birthYear), AsWritten);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    /// <summary>Edits the saved demographics with a reason, naming the version read just before.</summary>
    public static async Task<HttpResponseMessage> EditDemographicsAsync(this RandomizedParticipant p, int birthYear, string reason)
    {
        var read = await p.Coordinator.GetAsync(p.Form("SCR", "DM"));
        return await p.Coordinator.PutWithIfMatchAsync(p.Form("SCR", "DM"), Demographics(birthYear, reason), TestData.ETagOf(read), AsWritten);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body = null) =>
        client.PostAsJsonAsync(path, body ?? new { });

    public static async Task AssertRuleAsync(this HttpResponseMessage response, string rule)
    {
        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(rule, (await response.JsonAsync()).GetProperty("rule").GetString());
    }

    /// <summary>The visit's form as the visit's list of forms has it.</summary>
    public static async Task<JsonElement> ListedAsync(this HttpClient client, RandomizedParticipant p, string visitCode, string formCode) =>
        (await client.GetJsonAsync($"{p.Path}/visits/{visitCode}/forms")).EnumerateArray().Single(f => f.GetProperty("formCode").GetString() == formCode);

    /// <summary>The visit's form as the casebook has it.</summary>
    public static async Task<JsonElement> InCasebookAsync(this HttpClient client, RandomizedParticipant p, string visitCode, string formCode) =>
        (await client.GetJsonAsync($"{p.Path}/casebook")).GetProperty("visits").EnumerateArray()
            .Single(v => v.GetProperty("code").GetString() == visitCode).GetProperty("forms").EnumerateArray()
            .Single(f => f.GetProperty("formCode").GetString() == formCode);
}
