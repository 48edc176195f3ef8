using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class VisitScheduleTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task Randomize_LaysOutEveryProtocolVisitFromDayZero()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var visits = await VisitsAsync(coordinator, trialId, participantId);

        Assert.Equal(16, visits.Count);
        var week4 = visits.Single(v => v.GetProperty("code").GetString() == "W4");
        Assert.Equal(today.AddDays(28), DateOnly.Parse(week4.GetProperty("targetDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(today.AddDays(25), DateOnly.Parse(week4.GetProperty("windowStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(today.AddDays(31), DateOnly.Parse(week4.GetProperty("windowEnd").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var screening = visits.Single(v => v.GetProperty("code").GetString() == "SCR");
        Assert.Equal(today.AddDays(-28), DateOnly.Parse(screening.GetProperty("windowStart").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(visits, v => Assert.Equal("Scheduled", v.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task CompleteVisit_OutsideItsWindow_IsFlaggedAndRecordedAsADeviation()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var onTime = await coordinator.PutAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits/D0", new { status = "Completed", actualDate = today });
        var late = await coordinator.PutAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/visits/SCR", new { status = "Completed", actualDate = today.AddDays(-40) });

        Assert.Equal(HttpStatusCode.OK, onTime.StatusCode);
        Assert.False((await onTime.JsonAsync()).GetProperty("outOfWindow").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.True((await late.JsonAsync()).GetProperty("outOfWindow").GetBoolean());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM protocol_deviations WHERE participant_id = @p", participantId));
    }

    [Fact]
    public async Task MissVisit_NeedsAReasonAndAChangeAfterwardsNeedsOneToo()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var path = $"/api/trials/{trialId}/participants/{participantId}/visits/W2";

        var withoutReason = await coordinator.PutAsJsonAsync(path, new { status = "Missed" });
        var missed = await coordinator.PutAsJsonAsync(path, new { status = "Missed", missedReason = "Hospitalized elsewhere" });
        var changeWithoutReason = await coordinator.PutWithIfMatchAsync(
            path, new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) }, TestData.ETagOf(missed));
        var change = await coordinator.PutWithIfMatchAsync(
            path, new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow), reason = "Visit found in the paper chart" }, TestData.ETagOf(missed));

        await withoutReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await withoutReason.JsonAsync()).GetProperty("errors").TryGetProperty("missedReason", out _));
        Assert.Equal("Missed", (await missed.JsonAsync()).GetProperty("status").GetString());
        await changeWithoutReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await changeWithoutReason.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var admin = await api.AdminAsync();
        var audit = await admin.GetJsonAsync($"/api/trials/{trialId}/audit?entityType=ScheduledVisit&pageSize=200");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), r =>
            r.GetProperty("field").GetString() == "Status" && r.GetProperty("oldValue").GetString() == "Missed"
            && r.GetProperty("newValue").GetString() == "Completed" && r.GetProperty("reason").GetString() == "Visit found in the paper chart");
    }

    [Fact]
    public async Task CompleteVisit_InTheFutureOrBeforeRandomization_Returns409()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var future = await coordinator.PutAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits/W2", new { status = "Completed", actualDate = today.AddDays(1) });
        var early = await coordinator.PutAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits/W2", new { status = "Completed", actualDate = today.AddDays(-1) });

        Assert.Equal("VisitDateInFuture", (await future.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal("VisitBeforeRandomization", (await early.JsonAsync()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task RecordVisit_DatedAfterTheWithdrawal_Returns409()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var withdrawal = await coordinator.PostAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/withdrawal", new { date = today.AddDays(-1), reason = "Moved away" });
        Assert.True(withdrawal.IsSuccessStatusCode, await withdrawal.Content.ReadAsStringAsync());

        var response = await coordinator.PutAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits/D0", new { status = "Completed", actualDate = today });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ParticipantNotActive", (await response.JsonAsync()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task RecordVisit_DatedOnTheWithdrawalDayButEnteredAfterIt_IsRecorded()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var withdrawal = await coordinator.PostAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/withdrawal", new { date = today, reason = "Moved away" });
        Assert.True(withdrawal.IsSuccessStatusCode, await withdrawal.Content.ReadAsStringAsync());

        var response = await coordinator.PutAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits/D0", new { status = "Completed", actualDate = today });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("Completed", (await response.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CompleteVisit_WhenItIsTheLastOfTheSchedule_CompletesTheParticipantOnItsDateAndEndsLaterDataEntry()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        await RandomizedDaysAgoAsync(participantId, 400);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var visits = $"/api/trials/{trialId}/participants/{participantId}/visits";
        var visit = (string code) => $"{visits}/{code}";

        var last = await coordinator.PutAsJsonAsync(visit("W52"), new { status = "Completed", actualDate = today.AddDays(-35) });
        var afterwards = await coordinator.PutAsJsonAsync(visit("W2"), new { status = "Completed", actualDate = today.AddDays(-34) });
        var before = await coordinator.PutAsJsonAsync(visit("W4"), new { status = "Completed", actualDate = today.AddDays(-372) });
        var unscheduledOnTheDay = await coordinator.PostAsJsonAsync(visits, new { name = "Flare", actualDate = today.AddDays(-35) });
        var unscheduledLater = await coordinator.PostAsJsonAsync(visits, new { name = "Flare", actualDate = today.AddDays(-34) });

        Assert.True(last.StatusCode == HttpStatusCode.OK, await last.Content.ReadAsStringAsync());
        var participant = await coordinator.GetJsonAsync($"/api/trials/{trialId}/participants/{participantId}");
        Assert.Equal("Completed", participant.GetProperty("status").GetString());
        Assert.Equal(today.AddDays(-35).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), participant.GetProperty("completedOn").GetString());
        await afterwards.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ParticipantNotActive", (await afterwards.JsonAsync()).GetProperty("rule").GetString());
        Assert.True(before.StatusCode == HttpStatusCode.OK, await before.Content.ReadAsStringAsync());
        Assert.True(unscheduledOnTheDay.StatusCode == HttpStatusCode.Created, await unscheduledOnTheDay.Content.ReadAsStringAsync());
        await unscheduledLater.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RecordLastVisitAgain_MovesTheCompletionWithIt()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        await RandomizedDaysAgoAsync(participantId, 400);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var w52 = $"/api/trials/{trialId}/participants/{participantId}/visits/W52";
        var participantPath = $"/api/trials/{trialId}/participants/{participantId}";
        var recorded = await coordinator.PutAsJsonAsync(w52, new { status = "Completed", actualDate = today.AddDays(-40) });
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);

        var redated = await coordinator.PutWithIfMatchAsync(
            w52, new { status = "Completed", actualDate = today.AddDays(-30), reason = "Date misread from the chart" }, TestData.ETagOf(recorded));
        var afterRedating = await coordinator.GetJsonAsync(participantPath);
        var missed = await coordinator.PutWithIfMatchAsync(
            w52, new { status = "Missed", missedReason = "Did not attend", reason = "The visit never took place" }, TestData.ETagOf(redated));
        var afterMissing = await coordinator.GetJsonAsync(participantPath);

        Assert.True(redated.StatusCode == HttpStatusCode.OK, await redated.Content.ReadAsStringAsync());
        Assert.Equal("Completed", afterRedating.GetProperty("status").GetString());
        Assert.Equal(today.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), afterRedating.GetProperty("completedOn").GetString());
        Assert.True(missed.StatusCode == HttpStatusCode.OK, await missed.Content.ReadAsStringAsync());
        Assert.Equal("Randomized", afterMissing.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, afterMissing.GetProperty("completedOn").ValueKind);
        var admin = await api.AdminAsync();
        var audit = await admin.GetJsonAsync($"/api/trials/{trialId}/audit?entityType=Participant&entityId={participantId}&pageSize=200");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), r =>
            r.GetProperty("field").GetString() == "CompletedOn" && r.GetProperty("reason").GetString() == "The visit never took place");
    }

    [Fact]
    public async Task AddUnscheduledVisit_IsNumberedAndListedAfterTheSchedule()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var path = $"/api/trials/{trialId}/participants/{participantId}/visits";

        var first = await coordinator.PostAsJsonAsync(path, new { name = "Flare", actualDate = DateOnly.FromDateTime(DateTime.UtcNow), procedures = new[] { "AeReview" } });
        var second = await coordinator.PostAsJsonAsync(path, new { name = "Follow-up", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("UNS1", (await first.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("UNS2", (await second.JsonAsync()).GetProperty("code").GetString());
        var visits = await VisitsAsync(coordinator, trialId, participantId);
        Assert.Equal(["UNS1", "UNS2"], visits.TakeLast(2).Select(v => v.GetProperty("code").GetString()));
        Assert.True(visits[^1].GetProperty("unscheduled").GetBoolean());
    }

    [Fact]
    public async Task Visits_OfAnotherSitesParticipant_Return404()
    {
        var (_, trialId, participantId) = await api.RandomizedAsync();
        var admin = await api.AdminAsync();
        var otherSite = await admin.AddSiteAsync(trialId, "V" + Guid.NewGuid().ToString("N")[..6]);
        var outsider = await api.ClientForNewUserAsync(admin, "Coordinator", otherSite);

        var list = await outsider.GetAsync($"/api/trials/{trialId}/participants/{participantId}/visits");
        var one = await outsider.GetAsync($"/api/trials/{trialId}/participants/{participantId}/visits/D0");
        var change = await outsider.PutAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits/D0", new { status = "Missed", missedReason = "x" });

        await list.AssertProblemAsync(HttpStatusCode.NotFound);
        await one.AssertProblemAsync(HttpStatusCode.NotFound);
        await change.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- Versions as ETags ----

    [Fact]
    public async Task GetVisit_WhenScheduled_AnswersETag1AndRecordingAndEditingItAnswer2Then3()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var path = $"/api/trials/{trialId}/participants/{participantId}/visits/D0";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var scheduled = await coordinator.GetAsync(path);
        var listed = (await VisitsAsync(coordinator, trialId, participantId)).Single(v => v.GetProperty("code").GetString() == "D0");
        var recorded = await coordinator.PutAsJsonAsync(path, new { status = "Completed", actualDate = today });
        var edited = await coordinator.PutWithIfMatchAsync(path, new { status = "Missed", missedReason = "Did not come", reason = "Wrong participant" }, TestData.ETagOf(recorded));
        var read = await coordinator.GetAsync(path);

        Assert.Equal(TestData.ETag(1), TestData.ETagOf(scheduled));
        Assert.Equal("Scheduled", (await scheduled.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(1, listed.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(recorded));
        Assert.True(edited.StatusCode == HttpStatusCode.OK, await edited.Content.ReadAsStringAsync());
        Assert.Equal(TestData.ETag(3), TestData.ETagOf(edited));
        Assert.Equal(TestData.ETag(3), TestData.ETagOf(read));
        var body = await read.JsonAsync();
        Assert.Equal(3, body.GetProperty("version").GetInt32());
        Assert.Equal("Missed", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RecordVisit_FirstTimeWithTheScheduledVersion_IsRecordedAndWithAnotherReturns409StaleEdit()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var visits = $"/api/trials/{trialId}/participants/{participantId}/visits";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var matching = await coordinator.PutWithIfMatchAsync($"{visits}/D0", new { status = "Completed", actualDate = today }, TestData.ETag(1));
        var stale = await coordinator.PutWithIfMatchAsync($"{visits}/W2", new { status = "Completed", actualDate = today }, TestData.ETag(2));

        Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
        await stale.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal("Scheduled", (await coordinator.GetJsonAsync($"{visits}/W2")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task EditVisit_WithoutIfMatch_Returns428AndChangesNothing()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var path = $"/api/trials/{trialId}/participants/{participantId}/visits/D0";
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync(path, new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) })).StatusCode);

        var edit = await coordinator.PutAsJsonAsync(path, new { status = "Missed", missedReason = "Did not come", reason = "Edited without If-Match" });

        await edit.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.Contains("If-Match", (await edit.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertCompletedAtVersion2Async(coordinator, path, participantId, "Edited without If-Match");
    }

    [Fact]
    public async Task EditVisit_WithAStaleIfMatch_Returns409StaleEditAndChangesNothing()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var path = $"/api/trials/{trialId}/participants/{participantId}/visits/D0";
        var scheduled = await coordinator.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync(path, new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) })).StatusCode);

        var stale = await coordinator.PutWithIfMatchAsync(
            path, new { status = "Missed", missedReason = "Did not come", reason = "Edited from the schedule" }, TestData.ETagOf(scheduled));

        await stale.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        await AssertCompletedAtVersion2Async(coordinator, path, participantId, "Edited from the schedule");
    }

    [Fact]
    public async Task EditVisit_WithTenConcurrentEditsFromTheSameVersion_ExactlyOneSucceeds()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var path = $"/api/trials/{trialId}/participants/{participantId}/visits/D0";
        var recorded = await coordinator.PutAsJsonAsync(path, new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) });

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => coordinator.PutWithIfMatchAsync(
            path, new { status = "Missed", missedReason = $"Reason {i}", reason = $"Edit {i}" }, TestData.ETagOf(recorded))));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == 200) == 1 && statuses.Count(s => s == 409) == 9, string.Join(",", statuses));
        foreach (var stale in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        }

        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).JsonAsync();
        var current = await coordinator.GetJsonAsync(path);
        Assert.Equal(3, current.GetProperty("version").GetInt32());
        Assert.Equal(winner.GetProperty("missedReason").GetString(), current.GetProperty("missedReason").GetString());
        var visitId = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM visits WHERE participant_id = @p AND code = 'D0'", participantId);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE entity_type = 'ScheduledVisit' AND entity_id = @p AND action = 'Update' AND field = 'Status' AND reason LIKE 'Edit %'",
            visitId.ToString()));
    }

    [Fact]
    public async Task EditVisit_WithoutReasonOrIfMatch_Returns400NamingBoth()
    {
        var (coordinator, trialId, participantId) = await api.RandomizedAsync();
        var path = $"/api/trials/{trialId}/participants/{participantId}/visits/D0";
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync(path, new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) })).StatusCode);

        var edit = await coordinator.PutAsJsonAsync(path, new { status = "Missed", missedReason = "Did not come" });

        await edit.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await edit.JsonAsync()).GetProperty("errors");
        Assert.Equal(["If-Match", "reason"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        await AssertCompletedAtVersion2Async(coordinator, path, participantId, null);
    }

    /// <summary>The visit is as its first recording left it: Completed, version 2, and no change audited (with that reason).</summary>
    private async Task AssertCompletedAtVersion2Async(HttpClient coordinator, string path, Guid participantId, string? refusedReason)
    {
        var read = await coordinator.GetAsync(path);
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(read));
        Assert.Equal("Completed", (await read.JsonAsync()).GetProperty("status").GetString());
        var visitId = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM visits WHERE participant_id = @p AND code = 'D0'", participantId);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString,
            "SELECT count(*) FROM audit_entries WHERE entity_type = 'ScheduledVisit' AND entity_id = @p AND action = 'Update' AND reason IS NOT NULL",
            visitId.ToString()));
        if (refusedReason is not null)
        {
            Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE reason = @p", refusedReason));
        }
    }


    /// <summary>Moves a participant's randomization back, as if the trial had been running that long.</summary>
    private Task RandomizedDaysAgoAsync(Guid participantId, int days) => Sql.ExecuteAsync(
        api.ConnectionString, $"UPDATE participants SET randomized_at = randomized_at - interval '{days} days' WHERE id = @p", participantId);

    private static async Task<List<JsonElement>> VisitsAsync(HttpClient client, Guid trialId, Guid participantId) =>
        [.. (await client.GetJsonAsync($"/api/trials/{trialId}/participants/{participantId}/visits")).EnumerateArray()];
}
