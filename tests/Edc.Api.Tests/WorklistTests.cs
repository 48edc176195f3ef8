using System.Globalization;
using System.Net;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// The visit worklist: overdue, due and upcoming (window opens within 14 days) scheduled visits of randomized
/// participants at the caller's sites, ordered by urgency, paged. Windows are moved in SQL relative to today so every
/// edge is tested without waiting: window end today is Due, yesterday Overdue; window start today + 14 is Upcoming,
/// today + 15 is not listed. Each test class instance uses a trial of its own.
/// </summary>
public sealed class WorklistTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Worklist_WhenWindowsSitAtTheirEdges_ListsOverdueDueUpcomingInUrgencyOrder()
    {
        var t = await ScenarioAsync();

        var page = await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?pageSize=200");

        var items = Items(page);
        Assert.Equal(
            [
                (t.P1, "W4", "Overdue"), (t.Q1, "D0", "Overdue"), (t.P1, "D0", "Overdue"),
                (t.P2, "D0", "Due"), (t.P2, "W4", "Due"),
                (t.P3, "D0", "Upcoming"),
            ],
            items.Select(i => (i.GetProperty("participantId").GetGuid(), i.GetProperty("visitCode").GetString()!, i.GetProperty("urgency").GetString()!)));
        Assert.Equal(6, page.GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(200, page.GetProperty("pageSize").GetInt32());

        // Yesterday's window end is a day overdue; today's has no day left but is still due.
        Assert.Equal(10, items[0].GetProperty("daysOverdue").GetInt32());
        Assert.Equal(1, items[2].GetProperty("daysOverdue").GetInt32());
        Assert.Equal(Today.AddDays(-1), Date(items[2], "windowEnd"));
        Assert.False(items[2].TryGetProperty("daysLeft", out _));
        Assert.Equal(0, items[3].GetProperty("daysLeft").GetInt32());
        Assert.Equal(Today, Date(items[3], "windowEnd"));
        Assert.Equal(3, items[4].GetProperty("daysLeft").GetInt32());
        Assert.Equal(Today, Date(items[4], "windowStart"));
        Assert.Equal(14, items[5].GetProperty("daysUntilWindowOpens").GetInt32());
        Assert.Equal(Today.AddDays(14), Date(items[5], "windowStart"));
        Assert.False(items[5].TryGetProperty("daysOverdue", out _));

        var first = items[0];
        Assert.Equal("Week 4", first.GetProperty("visitName").GetString());
        Assert.Equal(t.SiteA, first.GetProperty("siteId").GetGuid());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("screeningNumber").GetString()));
        Assert.Equal(JsonValueKind.String, first.GetProperty("targetDate").ValueKind);
    }

    [Fact]
    public async Task Worklist_WhenVisitRecordedParticipantWithdrawnOrWindowOpensInFifteenDays_LeavesThemOut()
    {
        var t = await ScenarioAsync();

        var items = Items(await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?pageSize=200"));

        // P3's W4 opens at today + 15; P4's overdue D0 is completed; P5 (overdue) is withdrawn.
        Assert.DoesNotContain(items, i => i.GetProperty("participantId").GetGuid() == t.P3 && i.GetProperty("visitCode").GetString() == "W4");
        Assert.DoesNotContain(items, i => i.GetProperty("participantId").GetGuid() == t.P4);
        Assert.DoesNotContain(items, i => i.GetProperty("participantId").GetGuid() == t.P5);
    }

    [Fact]
    public async Task Worklist_WhenPaged_AnswersTheSliceOfTheSameOrderWithTheTotal()
    {
        var t = await ScenarioAsync();

        var all = Items(await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?pageSize=200"));
        var second = await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?page=2&pageSize=2");
        var beyond = await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?page=9&pageSize=2");

        Assert.Equal(6, second.GetProperty("total").GetInt32());
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(2, second.GetProperty("pageSize").GetInt32());
        Assert.Equal(all.Skip(2).Take(2).Select(Key), Items(second).Select(Key));
        Assert.Empty(Items(beyond));
        Assert.Equal(6, beyond.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Worklist_WhenSiteScoped_ShowsOnlyTheCallersSites()
    {
        var t = await ScenarioAsync();
        var investigatorA = await api.ClientForNewUserAsync(t.Admin, Roles.Investigator, t.SiteA);
        var siteC = await t.Admin.AddSiteAsync(t.TrialId, "WC" + Guid.NewGuid().ToString("N")[..6]);
        var coordinatorC = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, siteC);
        var demoCoordinator = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, await t.Admin.DemoSiteIdAsync());

        var a = await t.CoordinatorA.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist");
        var b = await t.CoordinatorB.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist");
        var c = await coordinatorC.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist");
        var investigator = await investigatorA.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist");

        Assert.Equal(5, a.GetProperty("total").GetInt32());
        Assert.All(Items(a), i => Assert.Equal(t.SiteA, i.GetProperty("siteId").GetGuid()));
        Assert.Equal([(t.Q1, "D0")], Items(b).Select(i => (i.GetProperty("participantId").GetGuid(), i.GetProperty("visitCode").GetString()!)));
        Assert.Equal(0, c.GetProperty("total").GetInt32());
        Assert.Empty(Items(c));
        Assert.Equal(Items(a).Select(Key), Items(investigator).Select(Key));

        // A coordinator of another trial's site does not learn that this trial exists.
        await (await demoCoordinator.GetAsync($"/api/trials/{t.TrialId}/visit-worklist")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Worklist_WithFromAndTo_KeepsVisitsWhoseWindowOverlapsTheRange()
    {
        var t = await ScenarioAsync();
        var today = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = Today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var fromToday = Items(await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?from={today}"));
        var toYesterday = Items(await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?to={yesterday}"));
        var todayOnly = Items(await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?from={today}&to={today}"));

        Assert.Equal([(t.P2, "D0"), (t.P2, "W4"), (t.P3, "D0")], fromToday.Select(Key));
        Assert.Equal([(t.P1, "W4"), (t.Q1, "D0"), (t.P1, "D0"), (t.P2, "D0")], toYesterday.Select(Key));
        Assert.Equal([(t.P2, "D0"), (t.P2, "W4")], todayOnly.Select(Key));
    }

    [Fact]
    public async Task Worklist_WhenFromIsAfterTo_Returns400()
    {
        var t = await ScenarioAsync();

        var response = await t.Admin.GetAsync($"/api/trials/{t.TrialId}/visit-worklist?from=2026-03-02&to=2026-03-01");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static (Guid, string) Key(JsonElement item) => (item.GetProperty("participantId").GetGuid(), item.GetProperty("visitCode").GetString()!);

    private static DateOnly Date(JsonElement item, string field) =>
        DateOnly.ParseExact(item.GetProperty(field).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Scenario(
        HttpClient Admin, HttpClient CoordinatorA, HttpClient CoordinatorB, Guid TrialId, Guid SiteA, Guid SiteB,
        Guid P1, Guid P2, Guid P3, Guid P4, Guid P5, Guid Q1);

    /// <summary>
    /// A trial of its own with sites A and B, randomized participants whose windows are moved relative to today:
    /// P1 D0 closed yesterday and W4 ten days ago (both overdue); P2 D0 closes today and W4 opened today (both due);
    /// P3 D0 opens in 14 days (upcoming) and W4 in 15 (not listed); P4's D0 closed 3 days ago but is completed; P5 is
    /// withdrawn with an overdue D0; Q1 at site B has D0 closed 2 days ago. Every other window is far in the future.
    /// </summary>
    private async Task<Scenario> ScenarioAsync()
    {
        var admin = await api.AdminAsync();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["WA" + Guid.NewGuid().ToString("N")[..6], "WB" + Guid.NewGuid().ToString("N")[..6]]);
        var siteA = trial.Sites.Values.First();
        var siteB = trial.Sites.Values.Last();
        var statistician = await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var coordinatorA = await api.ClientForNewUserAsync(admin, Roles.Coordinator, siteA);
        var coordinatorB = await api.ClientForNewUserAsync(admin, Roles.Coordinator, siteB);
        var p = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            p.Add(await DistinctiveTrial.ParticipantAsync(coordinatorA, trial.Id, siteA, "limited"));
        }

        var q1 = await DistinctiveTrial.ParticipantAsync(coordinatorB, trial.Id, siteB, "diffuse");

        // Everything far away first, then the windows under test.
        await Sql.ExecuteAsync(api.ConnectionString, $"""
            UPDATE visits SET window_start = current_date + 100, window_end = current_date + 110, target_date = current_date + 105
            WHERE trial_id = '{trial.Id}';
            """);
        await MoveAsync(p[0], "D0", -5, -1);
        await MoveAsync(p[0], "W4", -16, -10);
        await MoveAsync(p[1], "D0", -2, 0);
        await MoveAsync(p[1], "W4", 0, 3);
        await MoveAsync(p[2], "D0", 14, 20);
        await MoveAsync(p[2], "W4", 15, 21);
        await MoveAsync(p[3], "D0", -5, -3);
        await MoveAsync(p[4], "D0", -5, -4);
        await MoveAsync(q1, "D0", -3, -2);
        await Sql.ExecuteAsync(api.ConnectionString, $"UPDATE visits SET status = 'Completed', actual_date = current_date - 4 WHERE participant_id = '{p[3]}' AND code = 'D0'");
        await Sql.ExecuteAsync(api.ConnectionString, $"UPDATE participants SET status = 'Withdrawn' WHERE id = '{p[4]}'");
        return new Scenario(admin, coordinatorA, coordinatorB, trial.Id, siteA, siteB, p[0], p[1], p[2], p[3], p[4], q1);
    }

    /// <summary>Puts a visit's window at today + start .. today + end (UTC date, as the API counts it), target in the middle.</summary>
    private Task<int> MoveAsync(Guid participantId, string code, int start, int end)
    {
        var today = Today;
        var from = today.AddDays(start).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = today.AddDays(end).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var target = today.AddDays((start + end) / 2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Sql.ExecuteAsync(api.ConnectionString, $"""
            UPDATE visits SET window_start = DATE '{from}', window_end = DATE '{to}', target_date = DATE '{target}'
            WHERE participant_id = '{participantId}' AND code = '{code}'
            """);
    }
}
