using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// Queries raised by people: who raises, answers, closes and reopens them at which site, the thread kept, the lists'
/// filters and paging, the notifications and the audit rows. Each test has a trial of its own (sites A and B).
/// </summary>
public sealed class QueryTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private sealed record Setup(SafetyTrial T, Guid Participant, HttpClient MonitorA, HttpClient MonitorB, HttpClient DataManager, Guid MonitorAId)
    {
        public string Queries => $"/api/trials/{T.TrialId}/queries";

        public string Query(Guid id) => $"{Queries}/{id}";
    }

    private async Task<Setup> SetupAsync()
    {
        var t = await SafetyTrial.CreateAsync(api);
        var participant = await t.RandomizedAsync();
        var (monitorAId, monitorAEmail) = await t.Admin.CreateUserAsync([Roles.Monitor], t.SiteA);
        var monitorA = await api.LoginAsync(monitorAEmail, TestData.UserPassword);
        var monitorB = await api.ClientForNewUserAsync(t.Admin, Roles.Monitor, t.SiteB);
        var dataManager = await api.ClientForNewUserAsync(t.Admin, Roles.DataManager);
        return new Setup(t, participant, monitorA, monitorB, dataManager, monitorAId);
    }

    private static object OnNote(Guid participant, string text = "Is the note complete?", string? itemCode = "NOTE") =>
        new { participantId = participant, visitCode = "D0", formCode = DistinctiveTrial.NoteForm, itemCode, text };

    private static async Task<Guid> RaiseAsync(Setup s, HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync(s.Queries, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var raised = await response.JsonAsync();
        Assert.Equal("Open", raised.GetProperty("status").GetString());
        return raised.GetProperty("id").GetGuid();
    }

    private static async Task<string?> RuleOfAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        await response.AssertProblemAsync(status);
        return (await response.JsonAsync()).TryGetProperty("rule", out var rule) ? rule.GetString() : null;
    }

    private static string? Field(JsonElement row) => row.TryGetProperty("field", out var field) ? field.GetString() : null;

    private static string? NewValue(JsonElement row) => row.TryGetProperty("newValue", out var value) ? value.GetString() : null;

    private static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        return [.. (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name)];
    }

    // ---- Raising ----

    [Fact]
    public async Task RaiseQuery_AsMonitorOfTheSite_Answers201OpenAndTheThreadNamesTheMonitor()
    {
        var s = await SetupAsync();

        var id = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant));

        var query = await s.MonitorA.GetJsonAsync(s.Query(id));
        Assert.Equal("Open", query.GetProperty("status").GetString());
        Assert.Equal("Test Monitor", query.GetProperty("raisedBy").GetString());
        Assert.Equal("NOTE", query.GetProperty("itemCode").GetString());
        Assert.Equal("D0", query.GetProperty("visitCode").GetString());
        var message = Assert.Single(query.GetProperty("messages").EnumerateArray());
        Assert.Equal("Test Monitor", message.GetProperty("who").GetString());
        Assert.Equal("Monitor", message.GetProperty("role").GetString());
        Assert.Equal("Raised", message.GetProperty("kind").GetString());
        Assert.Equal("Is the note complete?", message.GetProperty("text").GetString());
        Assert.EndsWith("Z", message.GetProperty("when").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaiseQuery_OnAParticipantOfAnotherSite_Answers404ToTheMonitor()
    {
        var s = await SetupAsync();

        var response = await s.MonitorB.PostAsJsonAsync(s.Queries, OnNote(s.Participant));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Roles.Pharmacist)]
    [InlineData(Roles.DsmbMember)]
    [InlineData(Roles.UnblindedStatistician)]
    [InlineData(Roles.Admin)]
    public async Task RaiseQuery_AsARoleThatTakesNoPartInQueries_Answers403(string role)
    {
        var s = await SetupAsync();
        var client = await api.ClientForNewUserAsync(s.T.Admin, role, role == Roles.Pharmacist ? [s.T.SiteA] : []);

        var response = await client.PostAsJsonAsync(s.Queries, OnNote(s.Participant));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(Roles.Pharmacist)]
    [InlineData(Roles.DsmbMember)]
    public async Task ListQueries_AsPharmacistOrBoardMember_Answers403(string role)
    {
        var s = await SetupAsync();
        var client = await api.ClientForNewUserAsync(s.T.Admin, role, role == Roles.Pharmacist ? [s.T.SiteA] : []);

        await (await client.GetAsync(s.Queries)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RaiseQuery_OnWhatTheParticipantDoesNotHave_Answers400NamingTheField()
    {
        var s = await SetupAsync();
        var entry = await s.T.CoordinatorA.PostAsJsonAsync($"{s.T.Participant(s.Participant)}/logs/{DistinctiveTrial.LogForm}", new { values = new { DRUG = "Aspirin" } }, new JsonSerializerOptions());
        Assert.Equal(HttpStatusCode.Created, entry.StatusCode);
        var entryId = (await entry.JsonAsync()).GetProperty("id").GetGuid();

        Assert.Equal(["formCode"], await ErrorFieldsAsync(await s.MonitorA.PostAsJsonAsync(s.Queries, new { participantId = s.Participant, visitCode = "D0", formCode = "NOPE", text = "?" })));
        Assert.Equal(["visitCode"], await ErrorFieldsAsync(await s.MonitorA.PostAsJsonAsync(s.Queries, new { participantId = s.Participant, visitCode = "W99", formCode = DistinctiveTrial.NoteForm, text = "?" })));
        Assert.Equal(["itemCode"], await ErrorFieldsAsync(await s.MonitorA.PostAsJsonAsync(s.Queries, OnNote(s.Participant, itemCode: "DRUG"))));
        Assert.Equal(["logEntryId"], await ErrorFieldsAsync(await s.MonitorA.PostAsJsonAsync(s.Queries, new { participantId = s.Participant, formCode = DistinctiveTrial.LogForm, logEntryId = Guid.NewGuid(), text = "?" })));
        Assert.Equal(["text"], await ErrorFieldsAsync(await s.MonitorA.PostAsJsonAsync(s.Queries, OnNote(s.Participant, text: ""))));

        var onEntry = await RaiseAsync(s, s.MonitorA, new { participantId = s.Participant, formCode = DistinctiveTrial.LogForm, itemCode = "DRUG", logEntryId = entryId, text = "Which dose?" });
        Assert.Equal(entryId, (await s.MonitorA.GetJsonAsync(s.Query(onEntry))).GetProperty("logEntryId").GetGuid());
    }

    [Fact]
    public async Task RaiseQuery_NotifiesTheSitesCoordinatorsAndInvestigators_NotTheOtherSite()
    {
        var s = await SetupAsync();

        await RaiseAsync(s, s.MonitorA, OnNote(s.Participant, "Please check the note 4411."));

        static async Task<int> CountAsync(HttpClient client) =>
            (await client.GetJsonAsync("/api/notifications?pageSize=200")).GetProperty("items").EnumerateArray()
                .Count(n => n.GetProperty("body").GetString()!.Contains("Please check the note 4411.", StringComparison.Ordinal));
        Assert.Equal(1, await CountAsync(s.T.CoordinatorA));
        Assert.Equal(1, await CountAsync(s.T.InvestigatorA));
        Assert.Equal(0, await CountAsync(s.T.CoordinatorB));
        Assert.Equal(0, await CountAsync(s.T.InvestigatorB));
    }

    // ---- Answering, closing, reopening ----

    [Fact]
    public async Task Query_RaisedAnsweredClosedAndReopened_KeepsEveryMessageAndNotifiesTheRaiserOfTheAnswer()
    {
        var s = await SetupAsync();
        var id = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant));

        var answered = await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(id)}/responses", new { text = "Checked against the source 5512." });
        Assert.True(answered.StatusCode == HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
        Assert.Equal("Answered", (await answered.JsonAsync()).GetProperty("status").GetString());
        var notifications = (await s.MonitorA.GetJsonAsync("/api/notifications?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(notifications, n => n.GetProperty("body").GetString()!.Contains("Checked against the source 5512.", StringComparison.Ordinal));

        var closed = await s.MonitorA.PostAsJsonAsync($"{s.Query(id)}/close", new { comment = "Settled." });
        Assert.Equal("Closed", (await closed.JsonAsync()).GetProperty("status").GetString());

        Assert.Equal("QueryClosed", await RuleOfAsync(await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(id)}/responses", new { text = "More" }), HttpStatusCode.Conflict));
        Assert.Equal("QueryClosed", await RuleOfAsync(await s.MonitorA.PostAsJsonAsync($"{s.Query(id)}/close", new { comment = "Again" }), HttpStatusCode.Conflict));

        var reopened = await s.DataManager.PostAsJsonAsync($"{s.Query(id)}/reopen", new { text = "The source disagrees." });
        Assert.Equal("Open", (await reopened.JsonAsync()).GetProperty("status").GetString());
        var thread = (await s.MonitorA.GetJsonAsync(s.Query(id))).GetProperty("messages").EnumerateArray()
            .Select(m => $"{m.GetProperty("kind").GetString()} {m.GetProperty("role").GetString()}").ToList();
        Assert.Equal(["Raised Monitor", "Answered Coordinator", "Closed Monitor", "Reopened DataManager"], thread);
    }

    [Fact]
    public async Task Coordinator_MayRaiseAndCloseTheirOwnQuery_ButNotCloseOrReopenAnothers()
    {
        var s = await SetupAsync();
        var monitors = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant));
        var own = await RaiseAsync(s, s.T.CoordinatorA, OnNote(s.Participant, "A question of mine"));

        Assert.Equal("QueryNotYours", await RuleOfAsync(await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(monitors)}/close", new { comment = "Done" }), HttpStatusCode.Conflict));
        var closedOwn = await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(own)}/close", new { comment = "Found it myself." });
        Assert.Equal(HttpStatusCode.OK, closedOwn.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await s.MonitorA.PostAsJsonAsync($"{s.Query(monitors)}/close", new { comment = "Withdrawn." })).StatusCode);
        Assert.Equal("QueryNotYours", await RuleOfAsync(await s.T.InvestigatorA.PostAsJsonAsync($"{s.Query(monitors)}/reopen", new { text = "Again" }), HttpStatusCode.Conflict));
        Assert.Equal(HttpStatusCode.OK, (await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(own)}/reopen", new { text = "Not settled after all." })).StatusCode);
        Assert.Equal("QueryNotClosed", await RuleOfAsync(await s.MonitorA.PostAsJsonAsync($"{s.Query(own)}/reopen", new { text = "Twice" }), HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task AnswerQuery_AsMonitorOrDataManager_Answers403_AndSiteStaffOfAnotherSite404()
    {
        var s = await SetupAsync();
        var id = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant));

        await (await s.MonitorA.PostAsJsonAsync($"{s.Query(id)}/responses", new { text = "Me?" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await s.DataManager.PostAsJsonAsync($"{s.Query(id)}/responses", new { text = "Me?" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await s.T.CoordinatorB.PostAsJsonAsync($"{s.Query(id)}/responses", new { text = "Me?" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await s.MonitorB.GetAsync(s.Query(id))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await s.MonitorB.PostAsJsonAsync($"{s.Query(id)}/close", new { comment = "No" })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await s.DataManager.GetAsync(s.Query(id))).StatusCode);
    }

    [Fact]
    public async Task QuerySteps_AfterTheDatabaseLock_Answer409TrialLocked_AndTheQueryStaysReadable()
    {
        var s = await SetupAsync();
        var id = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant));
        var locked = await s.T.Admin.PostAsync($"/api/trials/{s.T.TrialId}/lock", null);
        Assert.True(locked.IsSuccessStatusCode, await locked.Content.ReadAsStringAsync());

        Assert.Equal("TrialLocked", await RuleOfAsync(await s.MonitorA.PostAsJsonAsync(s.Queries, OnNote(s.Participant)), HttpStatusCode.Conflict));
        Assert.Equal("TrialLocked", await RuleOfAsync(await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(id)}/responses", new { text = "Late" }), HttpStatusCode.Conflict));
        Assert.Equal("TrialLocked", await RuleOfAsync(await s.MonitorA.PostAsJsonAsync($"{s.Query(id)}/close", new { comment = "Late" }), HttpStatusCode.Conflict));
        Assert.Equal("Open", (await s.MonitorA.GetJsonAsync(s.Query(id))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task QuerySteps_AreAuditedWithTheStatusTheyLeave()
    {
        var s = await SetupAsync();
        var id = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant));
        await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(id)}/responses", new { text = "Fine." });

        var trail = await s.T.Admin.GetJsonAsync($"/api/trials/{s.T.TrialId}/audit?entityType=DataQuery&entityId={id}&pageSize=200");
        var rows = trail.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "Insert" && Field(r) == "Status" && NewValue(r) == "Open");
        Assert.Contains(rows, r => r.GetProperty("action").GetString() == "Update" && Field(r) == "Status" && NewValue(r) == "Answered");
    }

    // ---- Lists ----

    [Fact]
    public async Task ListQueries_FiltersByStatusSiteParticipantAndForm_PagesAndCountsPerStatus_AndPutsWhatAwaitsTheCallerFirst()
    {
        var s = await SetupAsync();
        var other = await s.T.RandomizedAsync();
        var atB = await s.T.RandomizedAsync(atSiteB: true);
        var first = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant, "First"));
        var second = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant, "Second"));
        var third = await RaiseAsync(s, s.MonitorA, OnNote(other, "Third"));
        var onB = await RaiseAsync(s, s.DataManager, OnNote(atB, "At B"));
        await s.T.CoordinatorA.PostAsJsonAsync($"{s.Query(second)}/responses", new { text = "Answer" });
        await s.MonitorA.PostAsJsonAsync($"{s.Query(third)}/close", new { comment = "Withdrawn" });

        static Guid[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];

        var monitorList = await s.MonitorA.GetJsonAsync(s.Queries);
        Assert.Equal([second, first, third], Ids(monitorList));
        Assert.Equal(3, monitorList.GetProperty("total").GetInt32());
        Assert.Equal(1, monitorList.GetProperty("counts").GetProperty("open").GetInt32());
        Assert.Equal(1, monitorList.GetProperty("counts").GetProperty("answered").GetInt32());
        Assert.Equal(1, monitorList.GetProperty("counts").GetProperty("closed").GetInt32());

        Assert.Equal([first, second, third], Ids(await s.T.CoordinatorA.GetJsonAsync(s.Queries)));
        Assert.Equal([first], Ids(await s.T.CoordinatorA.GetJsonAsync($"{s.Queries}?status=Open")));
        Assert.Equal([onB], Ids(await s.DataManager.GetJsonAsync($"{s.Queries}?siteId={s.T.SiteB}")));
        Assert.Equal([third], Ids(await s.DataManager.GetJsonAsync($"{s.Queries}?participantId={other}")));
        Assert.Empty(Ids(await s.DataManager.GetJsonAsync($"{s.Queries}?formCode=MEDS")));
        Assert.Empty(Ids(await s.MonitorB.GetJsonAsync($"{s.Queries}?siteId={s.T.SiteA}")));

        var page2 = await s.DataManager.GetJsonAsync($"{s.Queries}?page=2&pageSize=2");
        Assert.Equal(4, page2.GetProperty("total").GetInt32());
        Assert.Equal(2, Ids(page2).Length);
        var summary = (await s.MonitorA.GetJsonAsync($"{s.Queries}?status=Answered")).GetProperty("items")[0];
        Assert.Equal("Second", summary.GetProperty("text").GetString());
        Assert.Equal("Test Monitor", summary.GetProperty("raisedBy").GetString());
    }

    [Fact]
    public async Task ListVisitForms_CountsEachFormsOpenQueries()
    {
        var s = await SetupAsync();
        var id = await RaiseAsync(s, s.MonitorA, OnNote(s.Participant));
        await RaiseAsync(s, s.MonitorA, OnNote(s.Participant, "Another"));
        await s.MonitorA.PostAsJsonAsync($"{s.Query(id)}/close", new { comment = "Withdrawn" });

        var forms = await s.MonitorA.GetJsonAsync($"{s.T.Participant(s.Participant)}/visits/D0/forms");

        var note = forms.EnumerateArray().Single(f => f.GetProperty("formCode").GetString() == DistinctiveTrial.NoteForm);
        Assert.Equal(1, note.GetProperty("openQueries").GetInt32());
    }
}
