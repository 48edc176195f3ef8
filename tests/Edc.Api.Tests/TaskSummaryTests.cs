using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>The task summary: what is left to do per site and participant, as each role may see it.</summary>
public sealed class TaskSummaryTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly JsonSerializerOptions AsWritten = new();

    private sealed record Setup(DistinctiveTrial.Created Trial, HttpClient Admin, HttpClient Coordinator, Guid ParticipantId)
    {
        public Guid SiteA => Trial.Sites["TA"];

        public Guid SiteB => Trial.Sites["TB"];

        public string Summary(Guid? siteId = null) => $"/api/trials/{Trial.Id}/task-summary" + (siteId is null ? "" : $"?siteId={siteId}");
    }

    private async Task<Setup> RandomizedAtSiteAAsync()
    {
        var admin = await api.AdminAsync();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["TA", "TB"]);
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");
        await statistician.CreateListAsync(trial.Id);
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", trial.Sites["TA"]);
        var participantId = await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, trial.Sites["TA"], "limited");
        return new Setup(trial, admin, coordinator, participantId);
    }

    private static JsonElement ParticipantRow(JsonElement summary, Guid participantId) =>
        summary.GetProperty("sites").EnumerateArray()
            .SelectMany(s => s.GetProperty("participants").EnumerateArray())
            .Single(p => p.GetProperty("participantId").GetGuid() == participantId);

    private static int Count(JsonElement row, string task) => row.GetProperty("tasks").GetProperty(task).GetInt32();

    [Fact]
    public async Task TaskSummary_AfterAVisitIsCompleted_CountsItsFormsToCompleteThenToVerify()
    {
        var s = await RandomizedAtSiteAAsync();
        var visit = $"/api/trials/{s.Trial.Id}/participants/{s.ParticipantId}/visits/D0";

        // Nothing is due before the visit is done.
        var before = await s.Coordinator.GetJsonAsync(s.Summary());
        Assert.DoesNotContain(before.GetProperty("sites")[0].GetProperty("participants").EnumerateArray(), p => Count(p, "formsToComplete") > 0);

        var done = await s.Coordinator.PutAsJsonAsync(visit, new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var afterVisit = ParticipantRow(await s.Coordinator.GetJsonAsync(s.Summary()), s.ParticipantId);
        Assert.Equal(2, Count(afterVisit, "formsToComplete")); // MRSS and NOTE
        Assert.Equal(0, Count(afterVisit, "formsToVerify"));
        Assert.Equal(0, Count(afterVisit, "visitsToSign"));

        var note = await s.Coordinator.PutAsJsonAsync(
            $"{visit}/forms/{DistinctiveTrial.NoteForm}", new { values = new Dictionary<string, object> { ["NOTE"] = "Seen" } }, AsWritten);
        Assert.Equal(HttpStatusCode.OK, note.StatusCode);
        var summary = await s.Coordinator.GetJsonAsync(s.Summary());
        var afterNote = ParticipantRow(summary, s.ParticipantId);
        Assert.Equal(1, Count(afterNote, "formsToComplete"));
        Assert.Equal(1, Count(afterNote, "formsToVerify"));

        // The site's and the trial's totals are the sums of their participants'.
        var siteA = summary.GetProperty("sites").EnumerateArray().Single(x => x.GetProperty("siteId").GetGuid() == s.SiteA);
        Assert.Equal(1, Count(siteA, "formsToVerify"));
        Assert.Equal(1, Count(summary, "formsToVerify"));

        // Verified, the form is ready to freeze; frozen, it is done with.
        var monitor = await api.ClientForNewUserAsync(s.Admin, "Monitor", s.SiteA);
        var dataManager = await api.ClientForNewUserAsync(s.Admin, "DataManager");
        Assert.Equal(HttpStatusCode.OK, (await monitor.PostAsync($"{visit}/forms/{DistinctiveTrial.NoteForm}/verification", null)).StatusCode);
        var verified = ParticipantRow(await monitor.GetJsonAsync(s.Summary()), s.ParticipantId);
        Assert.Equal((0, 1), (Count(verified, "formsToVerify"), Count(verified, "formsReadyToFreeze")));
        var freeze = await dataManager.PostAsJsonAsync($"{visit}/forms/{DistinctiveTrial.NoteForm}/freeze", new { reason = "Clean" });
        Assert.Equal(HttpStatusCode.OK, freeze.StatusCode);
        Assert.Equal(0, Count(ParticipantRow(await dataManager.GetJsonAsync(s.Summary()), s.ParticipantId), "formsReadyToFreeze"));
    }

    [Fact]
    public async Task TaskSummary_CountsOpenAndAnsweredQueries_AndAQueriedFormIsNotReadyToFreeze()
    {
        var s = await RandomizedAtSiteAAsync();
        var visit = $"/api/trials/{s.Trial.Id}/participants/{s.ParticipantId}/visits/D0";
        var monitor = await api.ClientForNewUserAsync(s.Admin, "Monitor", s.SiteA);
        Assert.Equal(HttpStatusCode.OK, (await s.Coordinator.PutAsJsonAsync(
            $"{visit}/forms/{DistinctiveTrial.NoteForm}", new { values = new Dictionary<string, object> { ["NOTE"] = "Seen" } }, AsWritten)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await monitor.PostAsync($"{visit}/forms/{DistinctiveTrial.NoteForm}/verification", null)).StatusCode);
        Assert.Equal(1, Count(ParticipantRow(await monitor.GetJsonAsync(s.Summary()), s.ParticipantId), "formsReadyToFreeze"));

        var raised = await monitor.PostAsJsonAsync(
            $"/api/trials/{s.Trial.Id}/queries",
            new { participantId = s.ParticipantId, visitCode = "D0", formCode = DistinctiveTrial.NoteForm, itemCode = "NOTE", text = "Seen by whom?" });
        Assert.Equal(HttpStatusCode.Created, raised.StatusCode);
        var open = ParticipantRow(await monitor.GetJsonAsync(s.Summary()), s.ParticipantId);
        Assert.Equal((1, 0, 0), (Count(open, "openQueries"), Count(open, "answeredQueries"), Count(open, "formsReadyToFreeze")));

        var queryId = (await raised.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await s.Coordinator.PostAsJsonAsync($"/api/trials/{s.Trial.Id}/queries/{queryId}/responses", new { text = "By the investigator." })).StatusCode);
        var answered = ParticipantRow(await monitor.GetJsonAsync(s.Summary()), s.ParticipantId);
        Assert.Equal((0, 1, 0), (Count(answered, "openQueries"), Count(answered, "answeredQueries"), Count(answered, "formsReadyToFreeze")));

        Assert.Equal(HttpStatusCode.OK, (await monitor.PostAsJsonAsync($"/api/trials/{s.Trial.Id}/queries/{queryId}/close", new { comment = "Thank you." })).StatusCode);
        var closed = ParticipantRow(await monitor.GetJsonAsync(s.Summary()), s.ParticipantId);
        Assert.Equal((0, 0, 1), (Count(closed, "openQueries"), Count(closed, "answeredQueries"), Count(closed, "formsReadyToFreeze")));
    }

    [Fact]
    public async Task TaskSummary_ForAMonitor_ShowsOnlyTheirSites_AndADataManagerEverySite()
    {
        var s = await RandomizedAtSiteAAsync();
        var monitorOfA = await api.ClientForNewUserAsync(s.Admin, "Monitor", s.SiteA);
        var monitorOfB = await api.ClientForNewUserAsync(s.Admin, "Monitor", s.SiteB);
        var dataManager = await api.ClientForNewUserAsync(s.Admin, "DataManager");

        static List<Guid> Sites(JsonElement summary) => [.. summary.GetProperty("sites").EnumerateArray().Select(x => x.GetProperty("siteId").GetGuid())];

        Assert.Equal([s.SiteA], Sites(await monitorOfA.GetJsonAsync(s.Summary())));
        Assert.Equal([s.SiteB], Sites(await monitorOfB.GetJsonAsync(s.Summary())));
        Assert.Equal(new[] { s.SiteA, s.SiteB }.Order(), Sites(await dataManager.GetJsonAsync(s.Summary())).Order());
        Assert.Equal([s.SiteB], Sites(await dataManager.GetJsonAsync(s.Summary(s.SiteB))));

        // Another site's participants are not listed, and asking for that site answers as if it did not exist.
        var ofB = await monitorOfB.GetJsonAsync(s.Summary());
        Assert.Empty(ofB.GetProperty("sites")[0].GetProperty("participants").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await monitorOfB.GetAsync(s.Summary(s.SiteA))).StatusCode);
    }

    [Fact]
    public async Task TaskSummary_ForRolesWithoutCasebookWork_Returns403()
    {
        var s = await RandomizedAtSiteAAsync();
        var board = await api.ClientForNewUserAsync(s.Admin, "DsmbMember");
        var pharmacist = await api.ClientForNewUserAsync(s.Admin, "Pharmacist", s.SiteA);

        Assert.Equal(HttpStatusCode.Forbidden, (await board.GetAsync(s.Summary())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pharmacist.GetAsync(s.Summary())).StatusCode);
    }
}
