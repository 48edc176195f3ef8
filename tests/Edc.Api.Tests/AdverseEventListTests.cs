using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using static Edc.Api.Tests.Infrastructure.AdverseEventForms;

namespace Edc.Api.Tests;

/// <summary>
/// The adverse event list: site-scoped for site roles (another site's events are never revealed, a filter on another
/// site answers an empty page), every site for the data safety board (read-only), filters by seriousness, site and
/// participant, newest first, paged; and blinded everywhere. One trial of five events, read by every test:
/// site A: e1 mild and e2 serious (participant A1), e3 a SUSAR (A2); site B: e4 mild and e5 serious (B1).
/// </summary>
public sealed class AdverseEventListTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly ConditionalWeakTable<EdcApiFactory, Task<Scenario>> Scenarios = new();

    private Task<Scenario> ScenarioAsync() => Scenarios.GetValue(api, Scenario.CreateAsync);

    [Fact]
    public async Task ListAdverseEvents_WhenSiteRoles_ShowOnlyTheirSitesNewestFirst()
    {
        var s = await ScenarioAsync();

        var coordinatorA = await s.T.CoordinatorA.GetJsonAsync(s.T.AdverseEvents);
        var investigatorA = await s.T.InvestigatorA.GetJsonAsync(s.T.AdverseEvents);
        var coordinatorB = await s.T.CoordinatorB.GetJsonAsync(s.T.AdverseEvents);

        Assert.Equal([s.E3, s.E2, s.E1], Ids(coordinatorA));
        Assert.Equal(3, coordinatorA.GetProperty("total").GetInt32());
        Assert.Equal([s.E3, s.E2, s.E1], Ids(investigatorA));
        Assert.Equal([s.E5, s.E4], Ids(coordinatorB));
        Assert.Equal(2, coordinatorB.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListAdverseEvents_WhenFilteredOnAnotherSite_AnswersAnEmptyPageAsForASiteThatDoesNotExist()
    {
        var s = await ScenarioAsync();

        var otherSite = await s.T.CoordinatorB.GetJsonAsync($"{s.T.AdverseEvents}?siteId={s.T.SiteA}");
        var noSite = await s.T.CoordinatorB.GetJsonAsync($"{s.T.AdverseEvents}?siteId={Guid.NewGuid()}");
        var otherParticipant = await s.T.CoordinatorB.GetJsonAsync($"{s.T.AdverseEvents}?participantId={s.A1}");

        foreach (var page in new[] { otherSite, noSite, otherParticipant })
        {
            Assert.Equal(0, page.GetProperty("total").GetInt32());
            Assert.Empty(Ids(page));
        }
    }

    [Fact]
    public async Task ListAdverseEvents_WhenDsmbMember_ShowsEverySite()
    {
        var s = await ScenarioAsync();
        var dsmb = await api.ClientForNewUserAsync(s.T.Admin, Roles.DsmbMember);

        var page = await dsmb.GetJsonAsync(s.T.AdverseEvents);

        Assert.Equal([s.E5, s.E4, s.E3, s.E2, s.E1], Ids(page));
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal([s.E5, s.E4], Ids(await dsmb.GetJsonAsync($"{s.T.AdverseEvents}?siteId={s.T.SiteB}")));
        Assert.Equal(s.T.SiteB, (await dsmb.GetJsonAsync(s.T.AdverseEvent(s.E5))).GetProperty("siteId").GetGuid());
    }

    [Fact]
    public async Task ListAdverseEvents_WhenAdminOrUnblindedStatistician_ShowsEverySite()
    {
        var s = await ScenarioAsync();
        var statistician = await api.ClientForNewUserAsync(s.T.Admin, Roles.UnblindedStatistician);

        Assert.Equal([s.E5, s.E4, s.E3, s.E2, s.E1], Ids(await s.T.Admin.GetJsonAsync(s.T.AdverseEvents)));
        Assert.Equal([s.E5, s.E4, s.E3, s.E2, s.E1], Ids(await statistician.GetJsonAsync(s.T.AdverseEvents)));
    }

    [Theory]
    [InlineData("serious=true", "e5 e3 e2")]
    [InlineData("serious=false", "e4 e1")]
    [InlineData("siteId={B}", "e5 e4")]
    [InlineData("siteId={A}&serious=true", "e3 e2")]
    [InlineData("participantId={A1}", "e2 e1")]
    [InlineData("participantId={A1}&serious=false", "e1")]
    [InlineData("participantId={A1}&siteId={B}", "")]
    public async Task ListAdverseEvents_WithFilters_KeepsTheMatchingEvents(string query, string expected)
    {
        var s = await ScenarioAsync();

        var page = await s.T.Admin.GetJsonAsync($"{s.T.AdverseEvents}?{s.Fill(query)}");

        var names = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names.Select(s.Event), Ids(page));
        Assert.Equal(names.Length, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListAdverseEvents_WhenPaged_AnswersTheSliceWithTheTotal()
    {
        var s = await ScenarioAsync();

        var second = await s.T.Admin.GetJsonAsync($"{s.T.AdverseEvents}?page=2&pageSize=2");
        var last = await s.T.Admin.GetJsonAsync($"{s.T.AdverseEvents}?page=3&pageSize=2");
        var beyond = await s.T.Admin.GetJsonAsync($"{s.T.AdverseEvents}?page=9&pageSize=2");
        var capped = await s.T.Admin.GetJsonAsync($"{s.T.AdverseEvents}?pageSize=5000");

        Assert.Equal([s.E3, s.E2], Ids(second));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(2, second.GetProperty("pageSize").GetInt32());
        Assert.Equal(5, second.GetProperty("total").GetInt32());
        Assert.Equal([s.E1], Ids(last));
        Assert.Empty(Ids(beyond));
        Assert.Equal(5, beyond.GetProperty("total").GetInt32());
        Assert.Equal(200, capped.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task ListAdverseEvents_ItemsCarryTheCurrentFormAndTheClocks()
    {
        var s = await ScenarioAsync();

        var items = (await s.T.Admin.GetJsonAsync(s.T.AdverseEvents)).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetGuid());

        var susar = items[s.E3];
        Assert.Equal(s.A2, susar.GetProperty("participantId").GetGuid());
        Assert.False(string.IsNullOrEmpty(susar.GetProperty("screeningNumber").GetString()));
        Assert.True(susar.GetProperty("susar").GetBoolean());
        Assert.Equal("Due", susar.GetProperty("regulatorReport").GetProperty("timeliness").GetString());
        Assert.Equal(JsonValueKind.Null, items[s.E1].GetProperty("sponsorReport").ValueKind);
        Assert.False(items[s.E1].TryGetProperty("versions", out var versions) && versions.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task ListAdverseEvents_WhenCoordinatorOfAnotherTrial_Returns404()
    {
        var s = await ScenarioAsync();
        var demoCoordinator = await api.ClientForNewUserAsync(s.T.Admin, Roles.Coordinator, await s.T.Admin.DemoSiteIdAsync());

        await (await demoCoordinator.GetAsync(s.T.AdverseEvents)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await demoCoordinator.GetAsync(s.T.AdverseEvent(s.E1))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AdverseEventResponsesAndNotifications_WhenBlindedCallers_NameNoArm()
    {
        var s = await ScenarioAsync();
        var dsmb = await api.ClientForNewUserAsync(s.T.Admin, Roles.DsmbMember);
        var bodies = new List<string>();
        foreach (var client in new[] { s.T.Admin, s.T.CoordinatorA, s.T.InvestigatorA, s.T.CoordinatorB, dsmb })
        {
            bodies.Add(await (await client.GetAsync($"{s.T.AdverseEvents}?pageSize=200")).Content.ReadAsStringAsync());
            foreach (var id in s.All)
            {
                bodies.Add(await (await client.GetAsync(s.T.AdverseEvent(id))).Content.ReadAsStringAsync());
            }
        }

        bodies.Add(await (await s.T.Admin.GetAsync($"{s.T.ExpeditedReports}?pageSize=200")).Content.ReadAsStringAsync());
        bodies.Add(await (await s.T.InvestigatorA.GetAsync($"{s.T.ExpeditedReports}?pageSize=200")).Content.ReadAsStringAsync());
        // Writes go to a trial of their own, so the five events the other tests read stay five.
        var w = await SafetyTrial.CreateAsync(api);
        var participant = await w.RandomizedAsync();
        var created = await w.InvestigatorA.PostAsJsonAsync(w.NewEventOf(participant), Susar(("term", "Anaphylaxis")));
        bodies.Add(await created.Content.ReadAsStringAsync());
        var id2 = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var revised = await w.InvestigatorA.PutWithIfMatchAsync(
            w.AdverseEvent(id2), Fatal(("term", "Anaphylaxis"), ("relatedness", "Definite"), ("expected", false), ("reason", "Died")), TestData.ETag(1));
        bodies.Add(await revised.Content.ReadAsStringAsync());
        var sent = await w.Admin.PostAsJsonAsync(w.ReportsOf(id2), new { recipient = "Regulator", sentAt = DateTimeOffset.UtcNow });
        bodies.Add(await sent.Content.ReadAsStringAsync());
        var refused = await w.InvestigatorA.PostAsJsonAsync(w.NewEventOf(participant), Fatal(("term", "Second death")));
        bodies.Add(await refused.Content.ReadAsStringAsync());
        bodies.Add(await (await w.InvestigatorA.GetAsync(w.Participant(participant))).Content.ReadAsStringAsync());
        bodies.Add(await (await w.InvestigatorA.GetAsync(w.AdverseEvent(id2))).Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        foreach (var body in bodies)
        {
            Assert.DoesNotContain(DistinctiveTrial.ArmStrings, secret => body.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("\"arm\"", body, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var trialId in new[] { s.T.TrialId, w.TrialId })
        {
            Assert.True(await Sql.ScalarAsync<long>(
                api.ConnectionString, "SELECT count(*) FROM notifications WHERE trial_id = @p AND kind = 'SeriousAdverseEvent'", trialId) > 0);
            Assert.Equal(0L, await Sql.ScalarAsync<long>(
                api.ConnectionString,
                $"SELECT count(*) FROM notifications WHERE trial_id = @p AND concat_ws('|', subject, body) ~* '{string.Join('|', DistinctiveTrial.ArmStrings)}'",
                trialId));
        }
    }

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];

    private sealed record Scenario(SafetyTrial T, Guid A1, Guid A2, Guid B1, Guid E1, Guid E2, Guid E3, Guid E4, Guid E5)
    {
        public Guid[] All => [E1, E2, E3, E4, E5];

        public Guid Event(string name) => name switch
        {
            "e1" => E1,
            "e2" => E2,
            "e3" => E3,
            "e4" => E4,
            "e5" => E5,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };

        public string Fill(string query) => query
            .Replace("{A}", T.SiteA.ToString(), StringComparison.Ordinal)
            .Replace("{B}", T.SiteB.ToString(), StringComparison.Ordinal)
            .Replace("{A1}", A1.ToString(), StringComparison.Ordinal);

        public static async Task<Scenario> CreateAsync(EdcApiFactory api)
        {
            var t = await SafetyTrial.CreateAsync(api);
            var a1 = await t.RandomizedAsync();
            var a2 = await t.RandomizedAsync();
            var b1 = await t.RandomizedAsync(atSiteB: true);
            var e1 = await t.RecordAsync(a1, Mild());
            var e2 = await t.RecordAsync(a1, Serious());
            var e3 = await t.RecordAsync(a2, Susar(), t.InvestigatorA);
            var e4 = await t.RecordAsync(b1, Mild(("term", "Nausea")), t.CoordinatorB);
            var e5 = await t.RecordAsync(b1, Serious(("term", "Cellulitis")), t.InvestigatorB);
            return new Scenario(t, a1, a2, b1, e1, e2, e3, e4, e5);
        }
    }
}
