using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class MrssTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly string[] Areas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    // ---- Totals and baseline ----

    [Fact]
    public async Task PutMrss_AtDayZeroThenWeek12_DerivesTotalBaselineAndChange()
    {
        var p = await api.RandomizedAsync();

        var baseline = await PutAsync(p, "D0", Body(Scores(2)));
        var week12 = await PutAsync(p, "W12", Body(Scores(1, ("face", 3))));

        Assert.Equal(HttpStatusCode.OK, baseline.StatusCode);
        var d0 = await baseline.JsonAsync();
        Assert.Equal(34, d0.GetProperty("total").GetInt32());
        Assert.Equal(34, d0.GetProperty("baselineTotal").GetInt32());
        Assert.Equal(0, d0.GetProperty("changeFromBaseline").GetInt32());
        Assert.Equal(HttpStatusCode.OK, week12.StatusCode);
        var w12 = await week12.JsonAsync();
        Assert.Equal(19, w12.GetProperty("total").GetInt32());
        Assert.Equal(34, w12.GetProperty("baselineTotal").GetInt32());
        Assert.Equal(-15, w12.GetProperty("changeFromBaseline").GetInt32());
        Assert.Equal("W12", w12.GetProperty("visitCode").GetString());
        Assert.Equal(3, w12.GetProperty("scores").GetProperty("face").GetInt32());
        Assert.Equal(17, w12.GetProperty("scores").EnumerateObject().Count());
        Assert.Equal($"\"{w12.GetProperty("version").GetUInt32()}\"", week12.Headers.ETag?.ToString());

        var read = await p.Coordinator.GetAsync(MrssPath(p, "W12"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(week12.Headers.ETag?.ToString(), read.Headers.ETag?.ToString());
        Assert.Equal(w12.ToString(), (await read.JsonAsync()).ToString());
        Assert.Equal(34L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT sum(total)::bigint FROM mrss_assessments m JOIN visits v ON v.id = m.visit_id WHERE v.participant_id = @p AND v.code = 'D0'", p.ParticipantId));
    }

    [Fact]
    public async Task PutMrss_WithoutBaseline_AnswersNullBaselineAndChange()
    {
        var p = await api.RandomizedAsync();

        var response = await PutAsync(p, "W12", Body(Scores(1)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(17, body.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("baselineTotal").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("changeFromBaseline").ValueKind);
        Assert.False(body.GetProperty("assessorDiffersFromBaseline").GetBoolean());
    }

    [Fact]
    public async Task GetMrss_WhenNotRecorded_Returns404()
    {
        var p = await api.RandomizedAsync();

        await (await p.Coordinator.GetAsync(MrssPath(p, "W24"))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- Validation ----

    [Fact]
    public async Task PutMrss_WithMissingUnknownOrOutOfRangeScores_Returns400KeyedByArea()
    {
        var p = await api.RandomizedAsync();
        var scores = Scores(1, ("abdomen", 4), ("leftFoot", -1));
        scores.Remove("face");
        scores["nose"] = 1;

        var response = await PutAsync(p, "D0", Body(scores));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("scores.face", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("scores.nose", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("scores.abdomen", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("scores.leftFoot", out _), errors.ToString());
        Assert.False(errors.TryGetProperty("scores.rightFoot", out _), errors.ToString());
        Assert.Equal(0L, await CountAsync(p));
    }

    [Fact]
    public async Task PutMrss_WithTotalInTheBody_Returns400Derived()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutAsJsonAsync(MrssPath(p, "D0"), new { assessedOn = Today, assessorName = "Dr A", scores = Scores(1), total = 17 });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains("derived", errors.GetProperty("total")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync(p));
    }

    [Fact]
    public async Task PutMrss_WithoutScoresAssessorOrDate_Returns400ForEachField()
    {
        var p = await api.RandomizedAsync();

        var empty = await p.Coordinator.PutAsJsonAsync(MrssPath(p, "D0"), new { });
        var future = await PutAsync(p, "D0", new { assessedOn = Today.AddDays(1), assessorName = "Dr A", scores = Scores(1) });
        var notAnInteger = await p.Coordinator.PutAsync(
            MrssPath(p, "D0"), new StringContent("""{"assessedOn":"2026-01-20","assessorName":"Dr A","scores":{"face":1.5}}""", System.Text.Encoding.UTF8, "application/json"));

        await empty.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await empty.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("scores", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("assessorName", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("assessedOn", out _), errors.ToString());
        await future.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await future.JsonAsync()).GetProperty("errors").TryGetProperty("assessedOn", out _));
        await notAnInteger.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await notAnInteger.JsonAsync()).GetProperty("errors").TryGetProperty("scores.face", out _));
        Assert.Equal(0L, await CountAsync(p));
    }

    // ---- Rules ----

    [Fact]
    public async Task PutMrss_AtAVisitWithoutMrss_Returns409MrssNotAtThisVisit()
    {
        var p = await api.RandomizedAsync();

        var response = await PutAsync(p, "W4", Body(Scores(1)));

        await AssertRuleAsync(response, "MrssNotAtThisVisit");
        Assert.Equal(0L, await CountAsync(p));
    }

    [Fact]
    public async Task PutMrss_AssessedOnTheWithdrawalDayAndEnteredAfterIt_IsRecorded()
    {
        var p = await api.RandomizedAsync();
        var withdrawal = await p.Coordinator.PostAsJsonAsync(
            $"/api/trials/{p.TrialId}/participants/{p.ParticipantId}/withdrawal", new { date = Today, reason = "Moved abroad" });
        Assert.True(withdrawal.IsSuccessStatusCode, await withdrawal.Content.ReadAsStringAsync());

        var response = await PutAsync(p, "D0", Body(Scores(1)));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(1L, await CountAsync(p));
    }

    [Fact]
    public async Task PutMrss_ForAnUnknownTrialOrParticipant_Returns404AndLeavesNoTransactionOpen()
    {
        var p = await api.RandomizedAsync();

        var unknownTrial = await p.Coordinator.PutAsJsonAsync($"/api/trials/{Guid.NewGuid()}/participants/{p.ParticipantId}/visits/D0/mrss", Body(Scores(1)));
        var unknownParticipant = await p.Coordinator.PutAsJsonAsync($"/api/trials/{p.TrialId}/participants/{Guid.NewGuid()}/visits/D0/mrss", Body(Scores(1)));

        await unknownTrial.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknownParticipant.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(p, "D0", Body(Scores(1)))).StatusCode);
    }

    [Fact]
    public async Task PutMrss_AssessedAfterTheWithdrawal_Returns409ParticipantNotActive()
    {
        var p = await api.RandomizedAsync();
        var withdrawal = await p.Coordinator.PostAsJsonAsync(
            $"/api/trials/{p.TrialId}/participants/{p.ParticipantId}/withdrawal", new { date = Today.AddDays(-1), reason = "Moved abroad" });
        Assert.True(withdrawal.IsSuccessStatusCode, await withdrawal.Content.ReadAsStringAsync());

        var response = await PutAsync(p, "D0", Body(Scores(1)));

        await AssertRuleAsync(response, "ParticipantNotActive");
        Assert.Equal(0L, await CountAsync(p));
    }

    [Fact]
    public async Task PutMrss_WhenTheTrialIsLocked_Returns409TrialLocked()
    {
        var admin = await api.AdminAsync();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["L1"]);
        var siteId = trial.Sites["L1"];
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");
        await statistician.CreateListAsync(trial.Id);
        var participantId = await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, siteId, "diffuse");
        var p = new RandomizedParticipant(coordinator, admin, trial.Id, siteId, participantId, KitNumber: string.Empty);
        var locked = await admin.PostAsync($"/api/trials/{trial.Id}/lock", null);
        Assert.True(locked.IsSuccessStatusCode, await locked.Content.ReadAsStringAsync());

        var response = await PutAsync(p, "D0", Body(Scores(1)));

        await AssertRuleAsync(response, "TrialLocked");
        Assert.Equal(0L, await CountAsync(p));
    }

    [Fact]
    public async Task PutAndGetMrss_ByACoordinatorOfAnotherSite_Return404()
    {
        var p = await api.RandomizedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(p, "D0", Body(Scores(1)))).StatusCode);
        var admin = await api.AdminAsync();
        var otherSite = await admin.AddSiteAsync(p.TrialId, "MX" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant());
        var outsider = await api.ClientForNewUserAsync(admin, "Coordinator", otherSite);

        var put = await outsider.PutAsJsonAsync(MrssPath(p, "W12"), Body(Scores(1)));
        var get = await outsider.GetAsync(MrssPath(p, "D0"));

        await put.AssertProblemAsync(HttpStatusCode.NotFound);
        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1L, await CountAsync(p));
    }

    [Fact]
    public async Task PutMrss_ByAnotherAssessorThanTheBaselines_IsFlaggedNotRefused()
    {
        var p = await api.RandomizedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(p, "D0", Body(Scores(2), assessor: "Dr Alice Martin"))).StatusCode);

        var other = await PutAsync(p, "W12", Body(Scores(1), assessor: "Dr Bob Stone"));
        var same = await PutAsync(p, "W24", Body(Scores(1), assessor: "Dr Alice Martin"));

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.True((await other.JsonAsync()).GetProperty("assessorDiffersFromBaseline").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.False((await same.JsonAsync()).GetProperty("assessorDiffersFromBaseline").GetBoolean());
    }

    // ---- Edits ----

    [Fact]
    public async Task EditMrss_WithoutReason_Returns400Reason()
    {
        var p = await api.RandomizedAsync();
        var first = await PutAsync(p, "D0", Body(Scores(1)));

        var edit = await PutAsync(p, "D0", Body(Scores(2)), first.Headers.ETag?.ToString());

        await edit.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await edit.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(17, (await p.Coordinator.GetJsonAsync(MrssPath(p, "D0"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task EditMrss_WithReason_AuditsOldAndNewValueOfEachChangedAreaWithTheReason()
    {
        var p = await api.RandomizedAsync();
        var first = await PutAsync(p, "D0", Body(Scores(1)));
        const string Reason = "Transcription error on the paper form";

        var edit = await PutAsync(p, "D0", Body(Scores(1, ("face", 2), ("leftFoot", 3)), reason: Reason), first.Headers.ETag?.ToString());

        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal(20, (await edit.JsonAsync()).GetProperty("total").GetInt32());
        Assert.NotEqual(first.Headers.ETag?.ToString(), edit.Headers.ETag?.ToString());
        var id = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM mrss_assessments WHERE participant_id = @p", p.ParticipantId);
        var admin = await api.AdminAsync();
        var audit = await admin.GetJsonAsync($"/api/audit?entityType=MrssAssessment&entityId={id}&pageSize=200");
        var updates = audit.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("action").GetString() == "Update").ToList();
        Assert.Equal(["Face", "LeftFoot", "Total"], updates.Select(r => r.GetProperty("field").GetString()!).Order(StringComparer.Ordinal));
        AssertChange(updates, "Face", "1", "2");
        AssertChange(updates, "LeftFoot", "1", "3");
        AssertChange(updates, "Total", "17", "20");
        Assert.All(updates, r => Assert.Equal(Reason, r.GetProperty("reason").GetString()));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), r => r.GetProperty("action").GetString() == "Insert" && r.GetProperty("field").GetString() == "Face");
    }

    [Fact]
    public async Task EditMrss_WithoutIfMatch_Returns428AndChangesNothing()
    {
        var p = await api.RandomizedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(p, "D0", Body(Scores(1)))).StatusCode);

        var edit = await PutAsync(p, "D0", Body(Scores(2), reason: "Corrected"));

        await edit.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.Equal(17, (await p.Coordinator.GetJsonAsync(MrssPath(p, "D0"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task EditMrss_WithAStaleIfMatch_Returns409StaleEditAndChangesNothing()
    {
        var p = await api.RandomizedAsync();
        var first = await PutAsync(p, "D0", Body(Scores(1)));
        var firstVersion = first.Headers.ETag?.ToString();
        var newer = await PutAsync(p, "D0", Body(Scores(2), reason: "Corrected"), firstVersion);
        Assert.Equal(HttpStatusCode.OK, newer.StatusCode);

        var stale = await PutAsync(p, "D0", Body(Scores(3), assessor: "Dr Late", reason: "Corrected again"), firstVersion);

        await AssertRuleAsync(stale, "StaleEdit");
        var current = await p.Coordinator.GetAsync(MrssPath(p, "D0"));
        var body = await current.JsonAsync();
        Assert.Equal(34, body.GetProperty("total").GetInt32());
        Assert.Equal("Dr A", body.GetProperty("assessorName").GetString());
        Assert.Equal(newer.Headers.ETag?.ToString(), current.Headers.ETag?.ToString());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE reason = @p", "Corrected again"));
    }

    [Fact]
    public async Task GetMrss_AfterTheFirstSave_AnswersETag1AndAnEditWithItAnswers2()
    {
        var p = await api.RandomizedAsync();
        var first = await PutAsync(p, "D0", Body(Scores(1)));

        var read = await p.Coordinator.GetAsync(MrssPath(p, "D0"));
        var edit = await PutAsync(p, "D0", Body(Scores(2), reason: "Corrected"), TestData.ETagOf(read));
        var again = await p.Coordinator.GetAsync(MrssPath(p, "D0"));

        Assert.Equal(TestData.ETag(1), TestData.ETagOf(first));
        Assert.Equal(TestData.ETag(1), TestData.ETagOf(read));
        Assert.Equal(1, (await read.JsonAsync()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(edit));
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(again));
        Assert.Equal(2, (await again.JsonAsync()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task PutMrss_FirstSaveWithAnIfMatch_Returns409StaleEditAndSavesNothing()
    {
        var p = await api.RandomizedAsync();

        var response = await PutAsync(p, "D0", Body(Scores(1)), TestData.ETag(1));

        await AssertRuleAsync(response, "StaleEdit");
        Assert.Equal(0L, await CountAsync(p));
    }

    [Fact]
    public async Task EditMrss_WithoutReasonOrIfMatch_Returns400NamingBoth()
    {
        var p = await api.RandomizedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(p, "D0", Body(Scores(1)))).StatusCode);

        var edit = await PutAsync(p, "D0", Body(Scores(2)));

        await edit.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await edit.JsonAsync()).GetProperty("errors");
        Assert.Equal(["If-Match", "reason"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        var current = await p.Coordinator.GetAsync(MrssPath(p, "D0"));
        Assert.Equal(TestData.ETag(1), TestData.ETagOf(current));
        Assert.Equal(17, (await current.JsonAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task EditMrss_With10ConcurrentEditsFromTheSameVersion_ExactlyOneSucceeds()
    {
        var p = await api.RandomizedAsync();
        var first = await PutAsync(p, "D0", Body(Scores(0)));
        var version = first.Headers.ETag?.ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            PutAsync(p, "D0", Body(Scores(0, (Areas[i], 3)), reason: $"Edit {i}"), version)));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == 200) == 1, string.Join(",", statuses));
        Assert.True(statuses.Count(s => s == 409) == 9, string.Join(",", statuses));
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).JsonAsync();
        var current = await p.Coordinator.GetJsonAsync(MrssPath(p, "D0"));
        Assert.Equal(winner.GetProperty("scores").ToString(), current.GetProperty("scores").ToString());
        Assert.Equal(3, current.GetProperty("total").GetInt32());
        var id = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM mrss_assessments WHERE participant_id = @p", p.ParticipantId);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE entity_type = 'MrssAssessment' AND entity_id = @p AND action = 'Update' AND field = 'Total'", id.ToString()));
    }

    // ---- Helpers ----


    private static string MrssPath(RandomizedParticipant p, string visitCode) => $"/api/trials/{p.TrialId}/participants/{p.ParticipantId}/visits/{visitCode}/mrss";

    private static Dictionary<string, int> Scores(int all, params (string Area, int Score)[] except)
    {
        var scores = Areas.ToDictionary(a => a, _ => all, StringComparer.Ordinal);
        foreach (var (area, score) in except)
        {
            scores[area] = score;
        }

        return scores;
    }

    private static object Body(Dictionary<string, int> scores, string assessor = "Dr A", string? reason = null) =>
        new { assessedOn = Today, assessorName = assessor, scores, reason };

    private static async Task<HttpResponseMessage> PutAsync(RandomizedParticipant p, string visitCode, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, MrssPath(p, visitCode)) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        var response = await p.Coordinator.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private Task<long> CountAsync(RandomizedParticipant p) =>
        Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM mrss_assessments WHERE participant_id = @p", p.ParticipantId);

    private static async Task AssertRuleAsync(HttpResponseMessage response, string rule)
    {
        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(rule, (await response.JsonAsync()).GetProperty("rule").GetString());
    }

    private static void AssertChange(List<JsonElement> rows, string field, string oldValue, string newValue)
    {
        var row = Assert.Single(rows, r => r.GetProperty("field").GetString() == field);
        Assert.Equal(oldValue, row.GetProperty("oldValue").GetString());
        Assert.Equal(newValue, row.GetProperty("newValue").GetString());
    }
}
