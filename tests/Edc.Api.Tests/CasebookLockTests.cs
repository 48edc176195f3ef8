using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>Locking a participant's casebook: a data manager locks it with a reason; every write path to the participant's data then refuses with 409 ParticipantLocked until it is unlocked.</summary>
public sealed class CasebookLockTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static object Because(string reason) => new { reason };

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static object Medication(int dose, string? reason = null) => new
    {
        values = new { DRUG = "Mycophenolate mofetil", INDICATION = "Systemic sclerosis", DOSE = dose, UNIT = "MG", FREQ = "BID", STARTDATE = "2025-01-20", ONGOING = true },
        reason,
    };

    [Fact]
    public async Task LockCasebook_AsDataManager_RefusesEveryWritePathWith409ParticipantLocked()
    {
        var p = await api.RandomizedAsync();
        await p.SaveDemographicsAsync(1975);
        var medication = await p.Coordinator.PostAsJsonAsync($"{p.Path}/logs/CM", Medication(1000), ReviewedForms.AsWritten);
        Assert.Equal(HttpStatusCode.Created, medication.StatusCode);
        var medicationId = (await medication.JsonAsync()).GetProperty("id").GetGuid();
        var mrss = await p.Coordinator.PutAsJsonAsync(p.Mrss("D0"), ReviewedForms.MrssScores());
        Assert.Equal(HttpStatusCode.OK, mrss.StatusCode);
        var adverseEvent = await p.Coordinator.PostAsJsonAsync($"{p.Path}/adverse-events", AdverseEventForms.Mild());
        Assert.True(adverseEvent.StatusCode == HttpStatusCode.Created, await adverseEvent.Content.ReadAsStringAsync());
        var adverseEventId = (await adverseEvent.JsonAsync()).GetProperty("id").GetGuid();
        var dataManager = await api.DataManagerAsync(p);

        var locked = await dataManager.PostJsonAsync($"{p.Path}/lock", Because("Casebook reviewed and complete"));

        Assert.True(locked.StatusCode == HttpStatusCode.OK, await locked.Content.ReadAsStringAsync());
        Assert.True((await locked.JsonAsync()).GetProperty("locked").GetBoolean());
        var refused = new Dictionary<string, HttpResponseMessage>
        {
            ["visit form first save"] = await p.Coordinator.PutAsJsonAsync(p.Form("D0", "VS"), Vitals(), ReviewedForms.AsWritten),
            ["visit form edit"] = await p.EditDemographicsAsync(1976, "Typo"),
            ["log entry add"] = await p.Coordinator.PostAsJsonAsync($"{p.Path}/logs/CM", Medication(500), ReviewedForms.AsWritten),
            ["log entry revise"] = await p.Coordinator.PutWithIfMatchAsync($"{p.Path}/logs/CM/{medicationId}", Medication(1500, "Titrated"), TestData.ETag(1), ReviewedForms.AsWritten),
            ["log entry remove"] = await p.Coordinator.PutWithIfMatchAsync($"{p.Path}/logs/CM/{medicationId}", new { removed = true, reason = "Wrong participant" }, TestData.ETag(1)),
            ["MRSS entry"] = await p.Coordinator.PutAsJsonAsync(p.Mrss("W12"), ReviewedForms.MrssScores()),
            ["MRSS edit"] = await p.Coordinator.PutWithIfMatchAsync(p.Mrss("D0"), ReviewedForms.MrssScores(face: 2, reason: "Rescored"), TestData.ETagOf(mrss)),
            ["infusion"] = await p.Coordinator.PutAsJsonAsync(p.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber }),
            ["adverse event record"] = await p.Coordinator.PostAsJsonAsync($"{p.Path}/adverse-events", AdverseEventForms.Mild(("term", "Nausea"))),
            ["adverse event revise"] = await p.Coordinator.PutWithIfMatchAsync(
                $"/api/trials/{p.TrialId}/adverse-events/{adverseEventId}", AdverseEventForms.Mild(("grade", 2), ("reason", "Worse")), TestData.ETag(1)),
            ["record visit"] = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0", new { status = "Completed", actualDate = Today }),
            ["unscheduled visit"] = await p.Coordinator.PostAsJsonAsync($"{p.Path}/visits", new { name = "Flare", actualDate = Today }),
        };

        foreach (var (path, response) in refused)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.True((await response.JsonAsync()).GetProperty("rule").GetString() == "ParticipantLocked", $"{path}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(1975, (await p.Coordinator.GetJsonAsync(p.Form("SCR", "DM"))).GetProperty("values").GetProperty("BIRTHYEAR").GetInt32());
        Assert.Equal(1, (await p.Coordinator.GetJsonAsync($"{p.Path}/logs/CM")).GetProperty("total").GetInt32());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM adverse_events WHERE participant_id = @p", p.ParticipantId));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM infusions WHERE participant_id = @p", p.ParticipantId));
        Assert.Equal("Scheduled", (await p.Coordinator.GetJsonAsync($"{p.Path}/visits/D0")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task LockedCasebook_ShowsLockedInTheParticipantAndCasebook_AndUnlockLetsDataChangeAgain()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);
        Assert.False((await p.Coordinator.GetJsonAsync(p.Path)).GetProperty("locked").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync($"{p.Path}/lock", Because("Reviewed"))).StatusCode);
        Assert.True((await p.Coordinator.GetJsonAsync(p.Path)).GetProperty("locked").GetBoolean());
        Assert.True((await p.Coordinator.GetJsonAsync($"{p.Path}/casebook")).GetProperty("participant").GetProperty("locked").GetBoolean());

        var unlocked = await dataManager.PostJsonAsync($"{p.Path}/unlock", Because("Late lab result to enter"));
        var saved = await p.Coordinator.PutAsJsonAsync(p.Form("SCR", "DM"), ReviewedForms.Demographics(), ReviewedForms.AsWritten);

        Assert.True(unlocked.StatusCode == HttpStatusCode.OK, await unlocked.Content.ReadAsStringAsync());
        Assert.False((await unlocked.JsonAsync()).GetProperty("locked").GetBoolean());
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        Assert.False((await p.Coordinator.GetJsonAsync($"{p.Path}/casebook")).GetProperty("participant").GetProperty("locked").GetBoolean());
        var trail = await p.Admin.GetJsonAsync($"/api/trials/{p.TrialId}/audit?entityType=Participant&entityId={p.ParticipantId}&pageSize=200");
        var lockRows = trail.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("field").GetString() == "LockedAt" && a.GetProperty("action").GetString() == "Update").ToList();
        Assert.Equal(["Reviewed", "Late lab result to enter"], lockRows.Select(a => a.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task LockTwice_Returns409ParticipantLocked_AndUnlockOfAnUnlockedCasebook409ParticipantNotLocked()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);

        await (await dataManager.PostJsonAsync($"{p.Path}/unlock", Because("Not locked"))).AssertRuleAsync("ParticipantNotLocked");
        Assert.Equal(HttpStatusCode.OK, (await dataManager.PostJsonAsync($"{p.Path}/lock", Because("Reviewed"))).StatusCode);
        await (await dataManager.PostJsonAsync($"{p.Path}/lock", Because("Again"))).AssertRuleAsync("ParticipantLocked");
    }

    [Fact]
    public async Task LockAndUnlock_WithoutAReason_Return400()
    {
        var p = await api.RandomizedAsync();
        var dataManager = await api.DataManagerAsync(p);

        var lockWithout = await dataManager.PostJsonAsync($"{p.Path}/lock", new { });
        var unlockWithout = await dataManager.PostJsonAsync($"{p.Path}/unlock", Because(""));

        foreach (var response in new[] { lockWithout, unlockWithout })
        {
            await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        }

        Assert.False((await p.Coordinator.GetJsonAsync(p.Path)).GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task LockCasebook_ByAnyRoleButDataManager_Returns403_AndOfAnUnknownParticipant404()
    {
        var p = await api.RandomizedAsync();
        var monitor = await api.MonitorAsync(p);
        var dataManager = await api.DataManagerAsync(p);

        await (await p.Coordinator.PostJsonAsync($"{p.Path}/lock", Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await monitor.PostJsonAsync($"{p.Path}/lock", Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await p.Admin.PostJsonAsync($"{p.Path}/lock", Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await monitor.PostJsonAsync($"{p.Path}/unlock", Because("x"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await dataManager.PostJsonAsync($"/api/trials/{p.TrialId}/participants/{Guid.NewGuid()}/lock", Because("x"))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False((await p.Coordinator.GetJsonAsync(p.Path)).GetProperty("locked").GetBoolean());
    }

    private static object Vitals() => new
    {
        values = new Dictionary<string, object?> { ["WEIGHT"] = 70m, ["SYSBP"] = 120, ["DIABP"] = 80, ["PULSE"] = 72, ["TEMP"] = 36.8m },
    };
}
