using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class InfusionTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    /// <summary>Whatever names an arm of the demonstration trial: codes and the protocol's arm names.</summary>
    private static readonly string[] ArmWords = ["BEL", "PBO", "Belimumab", "Placebo", "belimumab", "placebo"];

    private static readonly string[] InfusionOnly = ["Infusion"];

    [Fact]
    public async Task PutInfusion_WhenOwnKitAtDayZero_RecordsItAndCountsOne()
    {
        var p = await api.RandomizedAsync();
        var at = DateTimeOffset.UtcNow.AddHours(-1);

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = at, kitNumber = p.KitNumber });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        Assert.Equal("D0", body.GetProperty("visitCode").GetString());
        Assert.True(body.GetProperty("administered").GetBoolean());
        Assert.Equal(p.KitNumber, body.GetProperty("kitNumber").GetString());
        Assert.Equal(at.ToUnixTimeMilliseconds(), body.GetProperty("administeredAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(1, body.GetProperty("infusionsReceived").GetInt32());

        var read = await p.Coordinator.GetJsonAsync(p.Infusion("D0"));
        Assert.Equal(p.KitNumber, read.GetProperty("kitNumber").GetString());
        Assert.Equal(1, read.GetProperty("infusionsReceived").GetInt32());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM infusions WHERE participant_id = @p", p.ParticipantId));
    }

    [Fact]
    public async Task PutInfusion_WhenSecondVisit_CountsBothInfusions()
    {
        var p = await api.RandomizedAsync();
        await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddDays(-14), kitNumber = p.KitNumber });

        var second = await RecordAsync(p, "W2", new { administeredAt = DateTimeOffset.UtcNow.AddMinutes(-5), kitNumber = p.KitNumber });

        Assert.Equal(2, second.GetProperty("infusionsReceived").GetInt32());
    }

    [Fact]
    public async Task PutInfusion_WhenAnotherParticipantsKit_Returns409WithoutArmOrOwner()
    {
        var p = await api.RandomizedAsync();
        var other = await api.RandomizedAsync(p.Coordinator);
        Assert.NotEqual(p.KitNumber, other.KitNumber);

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = other.KitNumber });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("KitNotParticipants", body, StringComparison.Ordinal);
        Assert.All(ArmWords, word => Assert.DoesNotContain(word, body, StringComparison.Ordinal));
        Assert.DoesNotContain(other.ParticipantId.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(other.KitNumber, body, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM infusions WHERE participant_id = @p", p.ParticipantId));
    }

    [Theory]
    [InlineData("SCR")]
    [InlineData("W52")]
    public async Task PutInfusion_WhenVisitHasNoInfusion_Returns409(string visitCode)
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion(visitCode), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("InfusionNotAtThisVisit", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutInfusion_WhenUnknownVisit_Returns404()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("W99"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutInfusion_WhenNotAdministeredWithReason_RecordsItWithoutCounting()
    {
        var p = await api.RandomizedAsync();
        await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddDays(-14), kitNumber = p.KitNumber });

        var body = await RecordAsync(p, "W2", new { notAdministeredReason = "Infusion reaction at previous visit" });

        Assert.False(body.GetProperty("administered").GetBoolean());
        Assert.Equal("Infusion reaction at previous visit", body.GetProperty("notAdministeredReason").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("kitNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("administeredAt").ValueKind);
        Assert.Equal(1, body.GetProperty("infusionsReceived").GetInt32());
    }

    [Fact]
    public async Task PutInfusion_WhenBothShapes_Returns400WithFieldError()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutAsJsonAsync(
            p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber, notAdministeredReason = "Refused" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("notAdministeredReason", out _));
    }

    [Fact]
    public async Task PutInfusion_WhenNeitherShape_Returns400WithFieldErrors()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("administeredAt", out _));
        Assert.True(errors.TryGetProperty("kitNumber", out _));
    }

    [Fact]
    public async Task PutInfusion_WhenKitWithoutTime_Returns400()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { kitNumber = p.KitNumber });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("administeredAt", out _));
    }

    [Fact]
    public async Task PutInfusion_WhenEditedWithoutReason_Returns400AndKeepsTheRecord()
    {
        var p = await api.RandomizedAsync();
        await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { notAdministeredReason = "Entered in error" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True((await p.Coordinator.GetJsonAsync(p.Infusion("D0"))).GetProperty("administered").GetBoolean());
    }

    [Fact]
    public async Task PutInfusion_WhenEditedWithReason_AuditsOldAndNewValuesWithTheReason()
    {
        var p = await api.RandomizedAsync();
        var first = await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });
        var infusionId = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM infusions WHERE participant_id = @p", p.ParticipantId);

        var body = await RecordAsync(
            p, "D0", new { notAdministeredReason = "Patient declined", reason = "Recorded against the wrong participant visit" }, TestData.ETag(first.GetProperty("version").GetInt32()));

        Assert.False(body.GetProperty("administered").GetBoolean());
        Assert.Equal(0, body.GetProperty("infusionsReceived").GetInt32());
        var where = $"entity_type = 'InfusionRecord' AND entity_id = '{infusionId}' AND action = 'Update'";
        Assert.Equal(3L, await Sql.ScalarAsync<long>(api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE {where}"));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE {where} AND reason = @p", "Recorded against the wrong participant visit"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE {where} AND field = 'KitNumber' AND new_value IS NULL AND old_value = @p", p.KitNumber));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString,
            $"SELECT count(*) FROM audit_entries WHERE {where} AND field = 'NotAdministeredReason' AND old_value IS NULL AND new_value = @p",
            "Patient declined"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE {where} AND field = 'AdministeredAt' AND old_value IS NOT NULL AND new_value IS NULL"));
    }

    [Fact]
    public async Task PutInfusion_GivenAfterTheWithdrawal_Returns409()
    {
        var p = await api.RandomizedAsync();
        var withdrawal = await p.Coordinator.PostAsJsonAsync($"{p.Path}/withdrawal", new { date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2), reason = "Moved abroad" });
        Assert.True(withdrawal.StatusCode == HttpStatusCode.OK, await withdrawal.Content.ReadAsStringAsync());

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("ParticipantNotActive", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutInfusion_WhenVisitMissed_Returns409AndSavesNothing()
    {
        var p = await api.RandomizedAsync();
        var missed = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0", new { status = "Missed", missedReason = "Hospitalized elsewhere" });
        Assert.True(missed.StatusCode == HttpStatusCode.OK, await missed.Content.ReadAsStringAsync());

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("VisitMissed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await p.Coordinator.GetAsync(p.Infusion("D0"))).StatusCode);
    }

    [Fact]
    public async Task PutInfusion_WhenAdministeredInTheFuture_Returns409()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddDays(2), kitNumber = p.KitNumber });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("InfusionInFuture", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infusion_WhenCoordinatorOfAnotherSite_Returns404()
    {
        var p = await api.RandomizedAsync();
        await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });
        var otherSite = await p.Admin.AddSiteAsync(p.TrialId, "INF-" + Guid.NewGuid().ToString("N")[..8]);
        var stranger = await api.ClientForNewUserAsync(p.Admin, "Coordinator", otherSite);

        await (await stranger.GetAsync(p.Infusion("D0"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.PutAsJsonAsync(p.Infusion("W2"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM infusions WHERE participant_id = @p", p.ParticipantId));
    }

    [Fact]
    public async Task GetInfusion_WhenNoneRecorded_Returns404()
    {
        var p = await api.RandomizedAsync();

        await (await p.Coordinator.GetAsync(p.Infusion("D0"))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutInfusion_WhenTrialLocked_Returns409AndSavesNothing()
    {
        // A trial of its own: locking the demonstration trial would stop the other tests of this class.
        var admin = await api.AdminAsync();
        var code = "INF-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var created = await admin.PostAsJsonAsync("/api/trials", new
        {
            code,
            title = "Infusion lock test " + code,
            arms = new[] { new { code = "A", name = "Arm A", ratio = 1 }, new { code = "B", name = "Arm B", ratio = 1 } },
            visitDefinitions = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = InfusionOnly } },
            sites = new[] { new { code = "LCK", name = "Locked hospital" } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var trialId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var siteId = (await admin.GetJsonAsync($"/api/trials/{trialId}/sites")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        await (await api.ClientForNewUserAsync(admin, "UnblindedStatistician")).CreateListAsync(trialId);
        var participantId = await coordinator.EnrolledAsync(trialId, siteId);
        var randomized = await coordinator.RandomizeAsync(trialId, participantId);
        Assert.True(randomized.StatusCode == HttpStatusCode.OK, await randomized.Content.ReadAsStringAsync());
        var kitNumber = (await randomized.JsonAsync()).GetProperty("kitNumber").GetString();
        var locked = await admin.PostAsync($"/api/trials/{trialId}/lock", null);
        Assert.True(locked.IsSuccessStatusCode, await locked.Content.ReadAsStringAsync());

        var response = await coordinator.PutAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/visits/D0/infusion", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("TrialLocked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM infusions WHERE participant_id = @p", participantId));
    }

    // ---- Versions as ETags ----

    [Fact]
    public async Task GetInfusion_AfterTheFirstSave_AnswersETag1AndAnEditWithItAnswers2()
    {
        var p = await api.RandomizedAsync();
        var first = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        var read = await p.Coordinator.GetAsync(p.Infusion("D0"));
        var edit = await p.Coordinator.PutWithIfMatchAsync(p.Infusion("D0"), new { notAdministeredReason = "Vein access failed", reason = "Not given after all" }, TestData.ETagOf(read));
        var again = await p.Coordinator.GetAsync(p.Infusion("D0"));

        Assert.Equal(TestData.ETag(1), TestData.ETagOf(first));
        Assert.Equal(TestData.ETag(1), TestData.ETagOf(read));
        Assert.Equal(1, (await read.JsonAsync()).GetProperty("version").GetInt32());
        Assert.True(edit.StatusCode == HttpStatusCode.OK, await edit.Content.ReadAsStringAsync());
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(edit));
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(again));
        Assert.Equal(2, (await again.JsonAsync()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task PutInfusion_FirstSaveWithAnIfMatch_Returns409StaleEditAndSavesNothing()
    {
        var p = await api.RandomizedAsync();

        var response = await p.Coordinator.PutWithIfMatchAsync(
            p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber }, TestData.ETag(1));

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("StaleEdit", (await response.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM infusions WHERE participant_id = @p", p.ParticipantId));
    }

    [Fact]
    public async Task EditInfusion_WithoutIfMatch_Returns428AndChangesNothing()
    {
        var p = await api.RandomizedAsync();
        await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        var edit = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { notAdministeredReason = "Vein access failed", reason = "Not given after all" });

        await edit.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.Contains("If-Match", (await edit.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertAdministeredAtVersion1Async(p);
    }

    [Fact]
    public async Task EditInfusion_WithAStaleIfMatch_Returns409StaleEditAndChangesNothing()
    {
        var p = await api.RandomizedAsync();
        await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        var stale = await p.Coordinator.PutWithIfMatchAsync(
            p.Infusion("D0"), new { notAdministeredReason = "Vein access failed", reason = "Edited from a version never answered" }, TestData.ETag(7));

        await stale.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        await AssertAdministeredAtVersion1Async(p);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE reason = @p", "Edited from a version never answered"));
    }

    [Fact]
    public async Task EditInfusion_WithTenConcurrentEditsFromTheSameVersion_ExactlyOneSucceeds()
    {
        var p = await api.RandomizedAsync();
        var first = await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });
        var version = TestData.ETag(first.GetProperty("version").GetInt32());

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => p.Coordinator.PutWithIfMatchAsync(
            p.Infusion("D0"), new { notAdministeredReason = $"Reason {i}", reason = $"Edit {i}" }, version)));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == 200) == 1 && statuses.Count(s => s == 409) == 9, string.Join(",", statuses));
        foreach (var stale in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        }

        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).JsonAsync();
        var current = await p.Coordinator.GetJsonAsync(p.Infusion("D0"));
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal(winner.GetProperty("notAdministeredReason").GetString(), current.GetProperty("notAdministeredReason").GetString());
        var infusionId = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM infusions WHERE participant_id = @p", p.ParticipantId);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString,
            "SELECT count(*) FROM audit_entries WHERE entity_type = 'InfusionRecord' AND entity_id = @p AND action = 'Update' AND field = 'NotAdministeredReason'",
            infusionId.ToString()));
    }

    [Fact]
    public async Task EditInfusion_WithoutReasonOrIfMatch_Returns400NamingBoth()
    {
        var p = await api.RandomizedAsync();
        await RecordAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        var edit = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { notAdministeredReason = "Vein access failed" });

        await edit.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await edit.JsonAsync()).GetProperty("errors");
        Assert.Equal(["If-Match", "reason"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        await AssertAdministeredAtVersion1Async(p);
    }

    /// <summary>The infusion is as its first save left it: given, version 1, no change audited.</summary>
    private async Task AssertAdministeredAtVersion1Async(RandomizedParticipant p)
    {
        var read = await p.Coordinator.GetAsync(p.Infusion("D0"));
        Assert.Equal(TestData.ETag(1), TestData.ETagOf(read));
        Assert.True((await read.JsonAsync()).GetProperty("administered").GetBoolean());
        var infusionId = await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM infusions WHERE participant_id = @p", p.ParticipantId);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE entity_type = 'InfusionRecord' AND entity_id = @p AND action = 'Update'", infusionId.ToString()));
    }

    private static async Task<JsonElement> RecordAsync(RandomizedParticipant p, string visitCode, object body, string? ifMatch = null)
    {
        var response = await p.Coordinator.PutWithIfMatchAsync(p.Infusion(visitCode), body, ifMatch);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }
}
