using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// A form's values evaluated without a save (what a page asks while values are typed): the items asked, the calculated
/// values, the errors and warnings a save would meet; answered, never enforced, and nothing written.
/// </summary>
public sealed class FormEvaluationTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    // Item codes are sent as written (WEIGHT, not weight): the body's property names are not camel-cased.
    private static readonly JsonSerializerOptions AsWritten = new();

    private static string Form(RandomizedParticipant p, string visitCode, string formCode) => $"{p.Path}/visits/{visitCode}/forms/{formCode}";

    private static string Log(RandomizedParticipant p, string formCode) => $"{p.Path}/logs/{formCode}";

    private static string[] Shown(JsonElement evaluation) => [.. evaluation.GetProperty("shown").EnumerateArray().Select(c => c.GetString()!)];

    private static async Task<JsonElement> EvaluateAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path + "/evaluation", body, AsWritten);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static async Task SaveDemographicsAsync(RandomizedParticipant p, string sex)
    {
        var saved = await p.Coordinator.PutAsJsonAsync(Form(p, "SCR", "DM"), new
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
        }, AsWritten);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
    }

    [Fact]
    public async Task EvaluateVisitForm_ForAWoman_AsksThePregnancyTestAndCalculatesTheDose_AndSavesNothing()
    {
        var p = await api.RandomizedAsync();
        await SaveDemographicsAsync(p, "F");

        var evaluation = await EvaluateAsync(p.Coordinator, Form(p, "D0", "VS"), new { values = new { WEIGHT = 72.4m } });

        Assert.Equal(["WEIGHT", "SYSBP", "DIABP", "PULSE", "TEMP", "DOSE", "PREG"], Shown(evaluation));
        Assert.Equal(724m, evaluation.GetProperty("values").GetProperty("DOSE").GetDecimal());
        Assert.Equal("InProgress", evaluation.GetProperty("status").GetString());
        Assert.Equal(1, evaluation.GetProperty("formVersion").GetInt32());
        Assert.Empty(evaluation.GetProperty("errors").EnumerateArray());
        var stored = await p.Coordinator.GetJsonAsync(Form(p, "D0", "VS"));
        Assert.Equal("NotStarted", stored.GetProperty("status").GetString());
        Assert.Equal(0, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM form_records WHERE participant_id = @p AND form_code = 'VS'", p.ParticipantId));
    }

    [Fact]
    public async Task EvaluateVisitForm_ForAMan_DoesNotAskThePregnancyTest()
    {
        var p = await api.RandomizedAsync();
        await SaveDemographicsAsync(p, "M");

        var evaluation = await EvaluateAsync(p.Coordinator, Form(p, "D0", "VS"), new { values = new { } });

        Assert.DoesNotContain("PREG", Shown(evaluation));
        Assert.False(evaluation.GetProperty("values").TryGetProperty("DOSE", out _)); // no weight, no dose
    }

    [Fact]
    public async Task EvaluateVisitForm_WithValuesASaveWouldRefuse_AnswersTheirErrorsAndWarnings_NotA400()
    {
        var p = await api.RandomizedAsync();

        var evaluation = await EvaluateAsync(p.Coordinator, Form(p, "D0", "VS"), new { values = new { WEIGHT = 300, SYSBP = 170, DOSE = 1 } });

        Assert.Equal(
            [("WEIGHT", "Weight must be 25 to 250 kg."), ("DOSE", "Dose at 10 mg/kg is calculated by the server: leave it out.")],
            evaluation.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("itemCode").GetString(), e.GetProperty("message").GetString())));
        var warning = Assert.Single(evaluation.GetProperty("warnings").EnumerateArray());
        Assert.Equal("SYSBP", warning.GetProperty("itemCode").GetString());
    }

    [Fact]
    public async Task EvaluateLogEntry_AsksTheStopDateOnlyOfAMedicationNoLongerTaken_AndAnEntryUnderItsOwnVersion()
    {
        var p = await api.RandomizedAsync();

        Assert.DoesNotContain("STOPDATE", Shown(await EvaluateAsync(p.Coordinator, Log(p, "CM"), new { values = new { ONGOING = true } })));
        Assert.Contains("STOPDATE", Shown(await EvaluateAsync(p.Coordinator, Log(p, "CM"), new { values = new { ONGOING = false } })));

        var added = await p.Coordinator.PostAsJsonAsync(Log(p, "MH"), new { values = new { CONDITION = "Raynaud phenomenon", ONGOING = true } }, AsWritten);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = (await added.JsonAsync()).GetProperty("id").GetGuid();
        var entry = await EvaluateAsync(p.Coordinator, Log(p, "MH"), new { values = new { CONDITION = "Raynaud phenomenon" }, entryId = id });
        Assert.Equal("InProgress", entry.GetProperty("status").GetString());
        await (await p.Coordinator.PostAsJsonAsync(Log(p, "MH") + "/evaluation", new { values = new { }, entryId = Guid.NewGuid() }, AsWritten))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Evaluate_AnotherSitesParticipant_IsNotFound_AndAReadOnlyRole_IsRefused()
    {
        var p = await api.RandomizedAsync();
        var otherSite = await p.Admin.AddSiteAsync(p.TrialId, "E" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant());
        var stranger = await api.ClientForNewUserAsync(p.Admin, Roles.Coordinator, otherSite);
        var board = await api.ClientForNewUserAsync(p.Admin, Roles.DsmbMember);

        await (await stranger.PostAsJsonAsync(Form(p, "D0", "VS") + "/evaluation", new { values = new { } }, AsWritten)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PostAsJsonAsync(Log(p, "CM") + "/evaluation", new { values = new { } }, AsWritten)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await board.PostAsJsonAsync(Form(p, "D0", "VS") + "/evaluation", new { values = new { } }, AsWritten)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
